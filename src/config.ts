import { z } from "zod";
import { ConfigError } from "./lib/config-error";

export { ConfigError };

const list = z.string().transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean));

const wholeNumber = (fallback: number) =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined || v === "") return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      ctx.addIssue({ code: "custom", message: "must be a whole number" });
      return z.NEVER;
    }
    return n;
  });

const optionalUrl = z.url().optional();
const flag = z.string().optional().transform((v) => v === "true");

/** The Worker's bindings as configuration: one schema, read once per isolate (README lists each variable). */
export const ConfigSchema = z
  .object({
    DATABASE_URL: z.string().min(1),
    /** Local dev, tests and bench only: where the Neon HTTP driver sends SQL (scripts/lib/neon-http-endpoint.mjs). */
    NEON_HTTP_ENDPOINT: optionalUrl,
    STRIPE_SECRET_KEY: z.string().min(1),
    STRIPE_WEBHOOK_SECRET: list.pipe(z.array(z.string()).min(1)),
    STRIPE_API_BASE: optionalUrl,
    STRIPE_LIVEMODE: z.string().optional(),
    INTERNAL_API_KEYS: list.pipe(z.array(z.string()).min(1)),
    LICENSE_SIGNING_KEYS: z.string().min(1),
    LICENSE_ISSUER: z.string().min(1),
    LOGTO_ENDPOINT: z.url().transform((v) => v.replace(/\/+$/, "")),
    LOGTO_API_RESOURCE: z.string().min(1),
    LOGTO_ALGORITHMS: z.string().optional().transform((v) => list.parse(v ?? "ES384")),
    /** Where Stripe sends the buyer back; the success URL carries Stripe's `{CHECKOUT_SESSION_ID}` placeholder. */
    CHECKOUT_SUCCESS_URL: z.url().default("https://maximus.example/checkout/success?session_id={CHECKOUT_SESSION_ID}"),
    CHECKOUT_CANCEL_URL: z.url().default("https://maximus.example/checkout/cancel"),
    BILLING_PORTAL_RETURN_URL: z.url().default("https://maximus.example/account"),
    RESEND_API_KEY: z.string().optional(),
    RESEND_BASE_URL: optionalUrl,
    EMAIL_FROM: z.string().min(3),
    ACTIVATION_LIMIT: wholeNumber(3),
    OFFLINE_GRACE_DAYS: wholeNumber(7),
    LICENSE_GRACE_DAYS: wholeNumber(7),
    RATE_LIMIT_DISABLED: flag,
    EMAIL_TIMEOUT_MS: wholeNumber(8000),
  })
  .transform((e) => ({
    databaseUrl: e.DATABASE_URL,
    neonHttpEndpoint: e.NEON_HTTP_ENDPOINT,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecrets: e.STRIPE_WEBHOOK_SECRET,
    stripeApiBase: e.STRIPE_API_BASE ? new URL(e.STRIPE_API_BASE) : undefined,
    // The key says which mode we run in; STRIPE_LIVEMODE only overrides it (e.g. a restricted key).
    stripeLivemode: e.STRIPE_LIVEMODE ? e.STRIPE_LIVEMODE === "true" : /^(sk|rk)_live_/.test(e.STRIPE_SECRET_KEY),
    internalApiKeys: e.INTERNAL_API_KEYS,
    signingKeysJson: e.LICENSE_SIGNING_KEYS,
    licenseIssuer: e.LICENSE_ISSUER,
    logtoEndpoint: e.LOGTO_ENDPOINT,
    logtoApiResource: e.LOGTO_API_RESOURCE,
    logtoAlgorithms: e.LOGTO_ALGORITHMS,
    checkoutSuccessUrl: e.CHECKOUT_SUCCESS_URL,
    checkoutCancelUrl: e.CHECKOUT_CANCEL_URL,
    billingPortalReturnUrl: e.BILLING_PORTAL_RETURN_URL,
    resendApiKey: e.RESEND_API_KEY || undefined,
    resendBaseUrl: e.RESEND_BASE_URL,
    emailFrom: e.EMAIL_FROM,
    activationLimit: e.ACTIVATION_LIMIT,
    offlineGraceDays: e.OFFLINE_GRACE_DAYS,
    licenseGraceDays: e.LICENSE_GRACE_DAYS,
    rateLimitDisabled: e.RATE_LIMIT_DISABLED,
    emailTimeoutMs: e.EMAIL_TIMEOUT_MS,
  }));

export type Config = z.output<typeof ConfigSchema>;
/** The bindings the schema reads, as the Worker receives them (strings; some optional). */
export type ConfigBindings = z.input<typeof ConfigSchema>;

const cache = new WeakMap<object, Config>();

/** Parses the bindings once per isolate (the env object is stable for an isolate's lifetime). */
export function loadConfig(env: object): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError([...new Set(parsed.error.issues.map((i) => String(i.path[0])))]);
  cache.set(env, parsed.data);
  return parsed.data;
}
