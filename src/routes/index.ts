import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { freeAccountMachine } from "./account/free-machine";
import { listAccountLicenses } from "./account/list-licenses";
import { getAccountData } from "./account/data";
import { eraseCustomer } from "./admin/erase-customer";
import { findLicenses } from "./admin/find-licenses";
import { freeLicenseMachine } from "./admin/free-machine";
import { listAuditEntries } from "./admin/list-audit-entries";
import { listStripeEvents } from "./admin/list-events";
import { reinstateLicense } from "./admin/reinstate-license";
import { replayStripeEvent } from "./admin/replay-event";
import { resendLicenseEmail } from "./admin/resend-email";
import { resetLicenseDeactivations } from "./admin/reset-deactivations";
import { revokeLicense } from "./admin/revoke-license";
import { createBillingPortalSession } from "./billing/portal";
import { createCheckoutSession } from "./checkout/create-session";
import { getCheckoutLicense } from "./checkout/license";
import { activateLicense } from "./licenses/activate";
import { deactivateLicense } from "./licenses/deactivate";
import { generateLicense } from "./licenses/generate";
import { recoverLicenses } from "./licenses/recover";
import { validateLicense } from "./licenses/validate";
import { describeProblem } from "./problems/describe";
import { consoleAttention } from "./console/attention";
import { consoleAudit } from "./console/audit";
import { consoleCss } from "./console/console-css";
import { consoleEraseCustomer } from "./console/erase-customer";
import { consoleEvents } from "./console/events";
import { consoleFreeMachine } from "./console/free-machine";
import { consoleLicense } from "./console/license";
import { consoleReinstate } from "./console/reinstate";
import { consoleReplayEvent } from "./console/replay-event";
import { consoleResendEmail } from "./console/resend-email";
import { consoleResetDeactivations } from "./console/reset-deactivations";
import { consoleRevoke } from "./console/revoke";
import { consoleSearch } from "./console/search";
import { getHealth } from "./service/health";
import { getJwks } from "./service/jwks";
import { getSubscriptionStatus } from "./subscriptions/status";
import { StripeEvent, receiveStripeEvent } from "./subscriptions/webhook";

/** Every operation; each router is one route file's createRoute and handler. */
export const ROUTERS = [
  getHealth,
  getJwks,
  receiveStripeEvent,
  generateLicense,
  activateLicense,
  validateLicense,
  deactivateLicense,
  recoverLicenses,
  getSubscriptionStatus,
  createCheckoutSession,
  createBillingPortalSession,
  getCheckoutLicense,
  listAccountLicenses,
  freeAccountMachine,
  findLicenses,
  revokeLicense,
  reinstateLicense,
  resetLicenseDeactivations,
  listStripeEvents,
  replayStripeEvent,
  eraseCustomer,
  getAccountData,
  describeProblem,
  freeLicenseMachine,
  resendLicenseEmail,
  listAuditEntries,
] as const satisfies readonly OpenAPIHono<AppEnv>[];

/** The support console (HTML forms, not JSON): mounted before the JSON-body middleware. */
export const CONSOLE_ROUTERS = [
  consoleCss,
  consoleSearch,
  consoleLicense,
  consoleRevoke,
  consoleReinstate,
  consoleResetDeactivations,
  consoleFreeMachine,
  consoleResendEmail,
  consoleEraseCustomer,
  consoleAttention,
  consoleEvents,
  consoleReplayEvent,
  consoleAudit,
] satisfies OpenAPIHono<AppEnv>[];

/** Schemas a route refers to by `$ref` only (they are documented, not validated). */
export const REFERENCED_SCHEMAS = { StripeEvent };
