import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";

/** One operation as the Worker's front router knows it: its method and path (Hono syntax), and how to load its router. */
export interface OnDemandRoute {
  method: "GET" | "POST" | "DELETE";
  path: string;
  load: () => Promise<OpenAPIHono<AppEnv>>;
}

/**
 * Every operation of ROUTERS (routes/index.ts), each imported on its own first request (lazy-app.ts), so an
 * isolate's start evaluates no route, schema or service, and its first request only its own.
 * Same methods and paths as the routes' createRoute (test/integration/lazy-app.test.ts checks it; a route
 * missing here still works, through the whole app, only slower to its first answer);
 * the OpenAPI document and /docs need every route anyway and are left to the whole app.
 */
export const ON_DEMAND_ROUTES: OnDemandRoute[] = [
  { method: "GET", path: "/health", load: async () => (await import("./service/health")).getHealth },
  { method: "GET", path: "/.well-known/jwks.json", load: async () => (await import("./service/jwks")).getJwks },
  {
    method: "POST",
    path: "/subscriptions/webhook",
    load: async () => (await import("./subscriptions/webhook")).receiveStripeEvent,
  },
  {
    method: "GET",
    path: "/subscriptions/status",
    load: async () => (await import("./subscriptions/status")).getSubscriptionStatus,
  },
  {
    method: "POST",
    path: "/licenses/generate",
    load: async () => (await import("./licenses/generate")).generateLicense,
  },
  {
    method: "POST",
    path: "/licenses/activate",
    load: async () => (await import("./licenses/activate")).activateLicense,
  },
  {
    method: "POST",
    path: "/licenses/validate",
    load: async () => (await import("./licenses/validate")).validateLicense,
  },
  {
    method: "POST",
    path: "/licenses/deactivate",
    load: async () => (await import("./licenses/deactivate")).deactivateLicense,
  },
  { method: "POST", path: "/licenses/recover", load: async () => (await import("./licenses/recover")).recoverLicenses },
  {
    method: "POST",
    path: "/checkout/sessions",
    load: async () => (await import("./checkout/create-session")).createCheckoutSession,
  },
  {
    method: "GET",
    path: "/checkout/sessions/:id/license",
    load: async () => (await import("./checkout/license")).getCheckoutLicense,
  },
  {
    method: "POST",
    path: "/billing/portal",
    load: async () => (await import("./billing/portal")).createBillingPortalSession,
  },
  {
    method: "GET",
    path: "/account/licenses",
    load: async () => (await import("./account/list-licenses")).listAccountLicenses,
  },
  {
    method: "DELETE",
    path: "/account/licenses/:id/machines/:machine_id",
    load: async () => (await import("./account/free-machine")).freeAccountMachine,
  },
  { method: "GET", path: "/account/data", load: async () => (await import("./account/data")).getAccountData },
  {
    method: "POST",
    path: "/admin/customers/erase",
    load: async () => (await import("./admin/erase-customer")).eraseCustomer,
  },
  { method: "GET", path: "/admin/licenses", load: async () => (await import("./admin/find-licenses")).findLicenses },
  {
    method: "POST",
    path: "/admin/licenses/:id/revoke",
    load: async () => (await import("./admin/revoke-license")).revokeLicense,
  },
  {
    method: "POST",
    path: "/admin/licenses/:id/reinstate",
    load: async () => (await import("./admin/reinstate-license")).reinstateLicense,
  },
  {
    method: "POST",
    path: "/admin/licenses/:id/reset-deactivations",
    load: async () => (await import("./admin/reset-deactivations")).resetLicenseDeactivations,
  },
  { method: "GET", path: "/admin/events", load: async () => (await import("./admin/list-events")).listStripeEvents },
  {
    method: "POST",
    path: "/admin/events/:id/replay",
    load: async () => (await import("./admin/replay-event")).replayStripeEvent,
  },
  {
    method: "POST",
    path: "/admin/licenses/:id/machines/:machine_id/free",
    load: async () => (await import("./admin/free-machine")).freeLicenseMachine,
  },
  {
    method: "POST",
    path: "/admin/licenses/:id/resend-email",
    load: async () => (await import("./admin/resend-email")).resendLicenseEmail,
  },
  {
    method: "GET",
    path: "/admin/audit",
    load: async () => (await import("./admin/list-audit-entries")).listAuditEntries,
  },
  { method: "GET", path: "/problems/:code", load: async () => (await import("./problems/describe")).describeProblem },
];
