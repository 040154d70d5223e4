import { z } from "zod";
import type { ErrorCode } from "../errors";
import { EventStatusQuery, LicenseEmailQuery, RevokeBody } from "../routes/admin/schemas";
import { CheckoutBody, StatusQuery } from "../routes/account/schemas";
import { ActivateBody, DeactivateBody, GenerateLicenseBody, ValidateBody } from "../routes/licenses/schemas";
import { HANDLED_EVENT_TYPES } from "../stripe/handlers";
import * as R from "./responses";

export type SecurityName = "internalApiKey" | "logtoBearer" | "stripeSignature";

export interface Named {
  name: string;
  schema: z.ZodType;
}

/** One route as the OpenAPI document shows it. Request schemas are the routes' own zod objects. */
export interface Operation {
  method: "get" | "post";
  /** OpenAPI path template (`{id}`), the Hono path with `:id`. */
  path: string;
  operationId: string;
  tag: "Licenses" | "Account" | "Stripe" | "Support" | "Service";
  summary: string;
  description?: string;
  security?: SecurityName;
  body?: Named;
  /** The body is read raw (the webhook): no JSON parsing or validation errors of ours. */
  rawBody?: boolean;
  query?: z.ZodObject;
  pathParams?: Record<string, string>;
  rateLimited?: boolean;
  success: { status: 200 | 201 | 202; description: string; body?: Named; contentType?: string };
  /** Route-specific error codes; the builder adds those of the body, query, auth and rate limit. */
  errors: ErrorCode[];
}

const named = (name: string, schema: z.ZodType): Named => ({ name, schema });
const licenseIdParam = { id: "License id (`lic_...`)" };

/** Stripe's event object: verified by its signature, not by a schema, so the document does not restate it. */
const StripeEvent = z
  .looseObject({ id: z.string(), type: z.string(), created: z.number().int(), livemode: z.boolean(), data: z.looseObject({ object: z.looseObject({}) }) })
  .describe("A Stripe `Event` (API version 2026-10-28.endive), exactly as Stripe signed it.");
export const OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/health",
    operationId: "getHealth",
    tag: "Service",
    summary: "Liveness: the database answers",
    rateLimited: true,
    success: { status: 200, description: "The database answered.", body: named("HealthResponse", R.HealthResponse) },
    errors: ["unavailable"],
  },
  {
    method: "get",
    path: "/.well-known/jwks.json",
    operationId: "getJwks",
    tag: "Service",
    summary: "Public keys that verify license keys and leases",
    description: "The signing key and every retired key that still verifies. `Cache-Control: public, max-age=300`.",
    rateLimited: true,
    success: { status: 200, description: "The JSON Web Key Set.", body: named("JwksResponse", R.JwksResponse) },
    errors: [],
  },
  {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "Service",
    summary: "This OpenAPI 3.1 document",
    rateLimited: true,
    success: { status: 200, description: "The document." },
    errors: [],
  },
  {
    method: "get",
    path: "/docs",
    operationId: "getApiReference",
    tag: "Service",
    summary: "API reference page (HTML)",
    rateLimited: true,
    success: { status: 200, description: "An HTML page listing every operation.", contentType: "text/html" },
    errors: [],
  },
  {
    method: "get",
    path: "/docs/assets/{file}",
    operationId: "getApiReferenceAsset",
    tag: "Service",
    summary: "A file the API reference page loads (Swagger UI, served by this Worker)",
    pathParams: { file: "`swagger-ui-bundle.js`, `swagger-ui.css` or `start.js`" },
    success: { status: 200, description: "The file, under the page's Content-Security-Policy.", contentType: "text/javascript" },
    errors: ["not_found"],
  },
  {
    method: "post",
    path: "/subscriptions/webhook",
    operationId: "receiveStripeEvent",
    tag: "Stripe",
    summary: "Stripe webhook endpoint",
    description:
      "Verifies the `Stripe-Signature` of the raw body against every `STRIPE_WEBHOOK_SECRET` (300 s tolerance), " +
      "enqueues the event and answers; the queue consumer applies it. Redeliveries are harmless. " +
      `Handled types: ${[...HANDLED_EVENT_TYPES].map((t) => `\`${t}\``).join(", ")}; other verified types are acknowledged and ignored. ` +
      "The endpoint's API version must be `2026-10-28.endive`.",
    security: "stripeSignature",
    body: named("StripeEvent", StripeEvent),
    rawBody: true,
    success: { status: 200, description: "Verified and durable (or ignored).", body: named("WebhookAck", R.WebhookAck) },
    errors: ["invalid_signature", "payload_too_large", "unavailable"],
  },
  {
    method: "post",
    path: "/licenses/generate",
    operationId: "generateLicense",
    tag: "Licenses",
    summary: "Issue a license by hand (internal)",
    description: "Exactly one of `expires_at` and `duration_days`.",
    security: "internalApiKey",
    body: named("GenerateLicenseRequest", GenerateLicenseBody),
    success: { status: 201, description: "The license and its first key.", body: named("GeneratedLicense", R.GeneratedLicense) },
    errors: ["unavailable"],
  },
  {
    method: "post",
    path: "/licenses/activate",
    operationId: "activateLicense",
    tag: "Licenses",
    summary: "Activate a machine; returns a lease for offline use",
    description: "Idempotent per machine. At most `ACTIVATION_LIMIT` (default 3) machines per license.",
    body: named("ActivateRequest", ActivateBody),
    rateLimited: true,
    success: { status: 200, description: "Activated (or already active on this machine).", body: named("ActivateResponse", R.ActivateResponse) },
    errors: ["invalid_license", "license_revoked", "license_suspended", "license_expired", "activation_limit_reached", "unavailable"],
  },
  {
    method: "post",
    path: "/licenses/validate",
    operationId: "validateLicense",
    tag: "Licenses",
    summary: "Is this key valid (on this machine)?",
    description: "Always `200` for a well-formed request: the answer is in `valid` and `code`.",
    body: named("ValidateRequest", ValidateBody),
    rateLimited: true,
    success: { status: 200, description: "The verdict.", body: named("ValidateResponse", R.ValidateResponse) },
    errors: ["unavailable"],
  },
  {
    method: "post",
    path: "/licenses/deactivate",
    operationId: "deactivateLicense",
    tag: "Licenses",
    summary: "Free a machine's seat",
    description:
      "Idempotent: a machine without a seat is also `200`. At most `DEACTIVATION_LIMIT` (default 3) seats freed per " +
      "rolling 30 days; the next is `429 deactivation_limit_reached` with `Retry-After` (seconds until the oldest " +
      "counted deactivation leaves the window).",
    body: named("DeactivateRequest", DeactivateBody),
    rateLimited: true,
    success: { status: 200, description: "The seat is free.", body: named("DeactivateResponse", R.DeactivateResponse) },
    errors: ["invalid_license", "deactivation_limit_reached", "unavailable"],
  },
  {
    method: "get",
    path: "/subscriptions/status",
    operationId: "getSubscriptionStatus",
    tag: "Account",
    summary: "The signed-in user's subscription to a product",
    security: "logtoBearer",
    query: StatusQuery,
    rateLimited: true,
    success: { status: 200, description: "The subscription.", body: named("SubscriptionStatusResponse", R.SubscriptionStatusResponse) },
    errors: ["no_subscription"],
  },
  {
    method: "post",
    path: "/checkout/sessions",
    operationId: "createCheckoutSession",
    tag: "Account",
    summary: "Start a Stripe Checkout for a subscription",
    description: "`409 conflict` when the user already holds the product: plan changes go through the billing portal.",
    security: "logtoBearer",
    body: named("CheckoutRequest", CheckoutBody),
    rateLimited: true,
    success: { status: 200, description: "Where to send the buyer.", body: named("UrlResponse", R.UrlResponse) },
    errors: ["conflict", "bad_gateway"],
  },
  {
    method: "post",
    path: "/billing/portal",
    operationId: "createBillingPortalSession",
    tag: "Account",
    summary: "Open the Stripe customer portal",
    security: "logtoBearer",
    rateLimited: true,
    success: { status: 200, description: "Where to send the user.", body: named("UrlResponse", R.UrlResponse) },
    errors: ["no_subscription", "bad_gateway"],
  },
  {
    method: "get",
    path: "/checkout/sessions/{id}/license",
    operationId: "getCheckoutLicense",
    tag: "Account",
    summary: "The license a checkout paid for, once issued",
    description: "`404 not_ready` (with `checkout_status` and `Retry-After`) until the webhook has issued it.",
    security: "logtoBearer",
    pathParams: { id: "Stripe checkout session id (`cs_test_...`, `cs_live_...`)" },
    rateLimited: true,
    success: { status: 200, description: "The license key.", body: named("CheckoutLicenseResponse", R.CheckoutLicenseResponse) },
    errors: ["not_found", "not_ready", "bad_gateway"],
  },
  {
    method: "get",
    path: "/admin/licenses",
    operationId: "findLicenses",
    tag: "Support",
    summary: "A buyer's licenses by email (case-insensitive)",
    security: "internalApiKey",
    query: LicenseEmailQuery,
    success: { status: 200, description: "Up to 100 licenses, newest first.", body: named("AdminLicenseList", R.AdminLicenseList) },
    errors: ["unavailable"],
  },
  {
    method: "post",
    path: "/admin/licenses/{id}/revoke",
    operationId: "revokeLicense",
    tag: "Support",
    summary: "Revoke a license (every key of it)",
    security: "internalApiKey",
    pathParams: licenseIdParam,
    body: named("RevokeRequest", RevokeBody),
    success: { status: 200, description: "The license after the change.", body: named("AdminLicenseResponse", R.AdminLicenseResponse) },
    errors: ["not_found", "unavailable"],
  },
  {
    method: "post",
    path: "/admin/licenses/{id}/reinstate",
    operationId: "reinstateLicense",
    tag: "Support",
    summary: "Reinstate a revoked or suspended license",
    description: "An expired license cannot be reinstated (`409 conflict`): issue a new one.",
    security: "internalApiKey",
    pathParams: licenseIdParam,
    success: { status: 200, description: "The license after the change.", body: named("AdminLicenseResponse", R.AdminLicenseResponse) },
    errors: ["not_found", "conflict", "unavailable"],
  },
  {
    method: "post",
    path: "/admin/licenses/{id}/reset-deactivations",
    operationId: "resetLicenseDeactivations",
    tag: "Support",
    summary: "Lift the deactivation limit of a license",
    description: "Deactivations made before now no longer count against `DEACTIVATION_LIMIT`.",
    security: "internalApiKey",
    pathParams: licenseIdParam,
    success: { status: 200, description: "The license after the change.", body: named("AdminLicenseResponse", R.AdminLicenseResponse) },
    errors: ["not_found", "unavailable"],
  },
  {
    method: "get",
    path: "/admin/events",
    operationId: "listStripeEvents",
    tag: "Support",
    summary: "Recorded Stripe events, e.g. `?status=failed`",
    security: "internalApiKey",
    query: EventStatusQuery,
    success: { status: 200, description: "Newest first.", body: named("AdminEventList", R.AdminEventList) },
    errors: ["unavailable"],
  },
  {
    method: "post",
    path: "/admin/events/{id}/replay",
    operationId: "replayStripeEvent",
    tag: "Support",
    summary: "Put a recorded event back on the queue",
    security: "internalApiKey",
    pathParams: { id: "Stripe event id (`evt_...`)" },
    success: { status: 202, description: "Enqueued.", body: named("ReplayResponse", R.ReplayResponse) },
    errors: ["not_found", "unavailable"],
  },
];
