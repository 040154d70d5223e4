import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "../errors";
import { PRODUCT_IDS, TIERS } from "../domain/products";

// Response bodies as the routes build them. Only the OpenAPI document and its test use these: the
// routes' request schemas are the ones that validate (src/routes/**/schemas.ts).
const isoTime = z.iso.datetime().describe("ISO 8601 UTC, whole seconds: 2026-12-01T00:00:00Z");
const nullableTime = isoTime.nullable();
const product = z.enum(PRODUCT_IDS);
const tier = z.enum(TIERS);
const licenseStatus = z.enum(["active", "revoked", "suspended", "expired"]);
const licenseKey = z.string().describe("`<PREFIX>-<TIER>-<JWT>`, e.g. `SR-BASE-eyJ...`");

export const HealthResponse = z.object({ status: z.literal("ok") });

export const JwksResponse = z.object({
  keys: z.array(
    z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string(), kid: z.string(), alg: z.literal("EdDSA"), use: z.literal("sig") }),
  ),
});

export const WebhookAck = z.object({
  received: z.literal(true),
  ignored: z.enum(["livemode_mismatch", "unhandled_type"]).optional(),
});

export const GeneratedLicense = z.object({
  id: z.string(),
  key: licenseKey,
  product,
  tier,
  status: z.literal("active"),
  email: z.string(),
  issued_at: isoTime,
  expires_at: isoTime,
});

const LicenseSummary = z.object({ id: z.string(), product, tier, status: licenseStatus.describe("the standing now"), expires_at: isoTime });

export const ActivateResponse = z.object({
  license: LicenseSummary,
  activation: z.object({ machine_id: z.string(), activated_at: isoTime }),
  lease: z.string().describe("EdDSA JWT: `sub` license id, `machine`, `aud` product, `exp`"),
  key: licenseKey.describe("the newest key of this license"),
});

export const ValidateResponse = z.object({
  valid: z.boolean(),
  code: z.enum(["valid", "revoked", "suspended", "expired", "invalid", "not_activated", "machine_limit"]),
  license: LicenseSummary.nullable(),
  lease: z.string().optional().describe("only when valid and the machine is activated"),
  key: licenseKey.optional(),
});

export const DeactivateResponse = z.object({ deactivated: z.literal(true) });

export const SubscriptionStatusResponse = z.object({
  status: z.enum(["active", "past_due", "canceled", "expired"]),
  product,
  tier,
  current_period_end: nullableTime,
  cancel_at_period_end: z.boolean(),
  license_key: licenseKey.nullable(),
});

export const UrlResponse = z.object({ url: z.url() });

export const CheckoutLicenseResponse = z.object({ key: licenseKey, product, tier, expires_at: isoTime });

const AdminLicense = z.object({
  id: z.string(),
  email: z.string(),
  product,
  tier,
  status: licenseStatus.describe("as stored"),
  expires_at: isoTime,
  created_at: isoTime,
  revoked_at: nullableTime,
  revoke_reason: z.string().nullable(),
  checkout_session_id: z.string().nullable(),
  key: licenseKey.nullable(),
  token_count: z.number().int(),
  activations: z.array(
    z.object({
      machine_id: z.string(),
      machine_name: z.string().nullable(),
      platform: z.string().nullable(),
      app_version: z.string().nullable(),
      activated_at: isoTime,
      last_seen_at: isoTime,
    }),
  ),
  subscription: z
    .object({
      stripe_subscription_id: z.string(),
      status: z.string().describe("Stripe's word"),
      tier: z.string(),
      current_period_end: nullableTime,
      cancel_at_period_end: z.boolean(),
    })
    .nullable(),
});

export const AdminLicenseList = z.object({ licenses: z.array(AdminLicense) });
export const AdminLicenseResponse = z.object({ license: AdminLicense });

export const AdminEventList = z.object({
  events: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      created: isoTime,
      status: z.enum(["received", "processed", "ignored", "failed"]),
      attempts: z.number().int(),
      error_code: z.string().nullable(),
      last_error: z.string().nullable(),
      received_at: nullableTime,
      processed_at: nullableTime,
    }),
  ),
});

export const ReplayResponse = z.object({ replayed: z.literal(true), event_id: z.string(), type: z.string() });

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  errors: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe("only with `validation_failed`"),
});
