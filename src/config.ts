import { z } from "zod";
import type { Bindings } from "./env";
import { PUBLISHED_DEV_VALUES as DEV } from "./published-dev-values";

const list = (value: string | undefined) =>
  (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);

const positiveInt = (fallback: number) =>
  z.string().optional().transform((v, ctx) => {
    if (v === undefined || v === "") return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      ctx.addIssue({ code: "custom", message: "must be a whole number" });
      return z.NEVER;
    }
    return n;
  });

const ConfigSchema = z.object({
  DATABASE_URL: z.string().min(1),
  NEON_HTTP_ENDPOINT: z.string().url().optional(),
  STRIPE_SECRET_KEY: z.string().min(1),
  STRIPE_WEBHOOK_SECRET: z.string().min(1),
  STRIPE_API_BASE: z.string().url().optional(),
  STRIPE_LIVEMODE: z.string().optional(),
  INTERNAL_API_KEYS: z.string().min(1),
  LICENSE_SIGNING_KEYS: z.string().min(1),
  LICENSE_ISSUER: z.string().min(1),
  LOGTO_ENDPOINT: z.string().url(),
  LOGTO_API_RESOURCE: z.string().min(1),
  LOGTO_ALGORITHMS: z.string().optional(),
  CHECKOUT_SUCCESS_URL: z.string().url().optional(),
  CHECKOUT_CANCEL_URL: z.string().url().optional(),
  BILLING_PORTAL_RETURN_URL: z.string().url().optional(),
  RESEND_API_KEY: z.string().optional(),
  RESEND_BASE_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().min(3),
  ACTIVATION_LIMIT: positiveInt(3),
  DEACTIVATION_LIMIT: positiveInt(3),
  OFFLINE_GRACE_DAYS: positiveInt(7),
  LICENSE_GRACE_DAYS: positiveInt(7),
  RATE_LIMIT_DISABLED: z.string().optional(),
  EMAIL_TIMEOUT_MS: positiveInt(8000),
});

export interface Config {
  databaseUrl: string;
  neonHttpEndpoint?: string;
  stripeSecretKey: string;
  stripeWebhookSecrets: string[];
  stripeApiBase?: URL;
  stripeLivemode: boolean;
  internalApiKeys: string[];
  signingKeysJson: string;
  licenseIssuer: string;
  logtoEndpoint: string;
  logtoApiResource: string;
  logtoAlgorithms: string[];
  /** Where Stripe sends the buyer back; the success URL carries Stripe's `{CHECKOUT_SESSION_ID}` placeholder. */
  checkoutSuccessUrl: string;
  checkoutCancelUrl: string;
  billingPortalReturnUrl: string;
  resendApiKey?: string;
  resendBaseUrl?: string;
  emailFrom: string;
  activationLimit: number;
  /** Seats a license may free per rolling 30 days (seat churn through offline leases). */
  deactivationLimit: number;
  offlineGraceDays: number;
  licenseGraceDays: number;
  rateLimitDisabled: boolean;
  emailTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly variables: string[]) {
    // Names only: values may be secrets.
    super(`invalid configuration: ${variables.join(", ")}`);
    this.name = "ConfigError";
  }
}

/** Cloudflare Rate Limiting bindings (wrangler.toml): without one, every request fails closed. */
export const LIMITER_BINDINGS = ["IP_RATE_LIMITER", "LICENSE_RATE_LIMITER", "ACCOUNT_RATE_LIMITER"] as const;

/** Internal keys are bearer secrets: shorter than this is guessable in a live deployment. */
const MIN_LIVE_INTERNAL_KEY_LENGTH = 32;

function missingLimiters(env: Bindings, config: Config): string[] {
  if (config.rateLimitDisabled) return [];
  const bindings = env as unknown as Record<string, { limit?: unknown } | undefined>;
  return LIMITER_BINDINGS.filter((name) => typeof bindings[name]?.limit !== "function");
}

function usesPublishedSigningKey(json: string): boolean {
  try {
    const keys = JSON.parse(json) as { x?: unknown; d?: unknown }[];
    return Array.isArray(keys) && keys.some((k) => k?.x === DEV.LICENSE_SIGNING_KEY_X || k?.d === DEV.LICENSE_SIGNING_KEY_D);
  } catch {
    return false; // malformed: the keyring reports it
  }
}

/**
 * With live money a mistake leaks: no email provider means keys only in logs and buyers without
 * them; a published dev secret or a short internal key lets anyone sign licenses or call support.
 */
function liveModeRefusals(config: Config): string[] {
  if (!config.stripeLivemode) return [];
  const refused: string[] = [];
  if (!config.resendApiKey) refused.push("RESEND_API_KEY");
  if (usesPublishedSigningKey(config.signingKeysJson)) refused.push("LICENSE_SIGNING_KEYS");
  if (config.internalApiKeys.some((k) => k === DEV.INTERNAL_API_KEYS || k.length < MIN_LIVE_INTERNAL_KEY_LENGTH)) refused.push("INTERNAL_API_KEYS");
  if (config.stripeWebhookSecrets.includes(DEV.STRIPE_WEBHOOK_SECRET)) refused.push("STRIPE_WEBHOOK_SECRET");
  if (config.rateLimitDisabled) refused.push("RATE_LIMIT_DISABLED");
  return refused;
}

const LIVE_URLS = ["CHECKOUT_SUCCESS_URL", "CHECKOUT_CANCEL_URL", "BILLING_PORTAL_RETURN_URL"] as const;

const cache = new WeakMap<object, Config>();

/**
 * Parses the bindings once per isolate (the env object is stable for an isolate's lifetime). A
 * broken or unsafe configuration throws ConfigError on every request: the service answers 503
 * `misconfigured` rather than run half-configured.
 */
export function loadConfig(env: Bindings): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError([...new Set(parsed.error.issues.map((i) => String(i.path[0])))]);
  const e = parsed.data;
  // The key says which mode we run in; STRIPE_LIVEMODE only overrides it (e.g. a restricted key).
  const stripeLivemode = e.STRIPE_LIVEMODE ? e.STRIPE_LIVEMODE === "true" : /^(sk|rk)_live_/.test(e.STRIPE_SECRET_KEY);
  // Live buyers must be sent back to our real pages, never to the placeholder defaults below.
  const missingLiveUrls = stripeLivemode ? LIVE_URLS.filter((k) => !e[k]) : [];
  const config: Config = {
    databaseUrl: e.DATABASE_URL,
    neonHttpEndpoint: e.NEON_HTTP_ENDPOINT,
    stripeSecretKey: e.STRIPE_SECRET_KEY,
    stripeWebhookSecrets: list(e.STRIPE_WEBHOOK_SECRET),
    stripeApiBase: e.STRIPE_API_BASE ? new URL(e.STRIPE_API_BASE) : undefined,
    stripeLivemode,
    internalApiKeys: list(e.INTERNAL_API_KEYS),
    signingKeysJson: e.LICENSE_SIGNING_KEYS,
    licenseIssuer: e.LICENSE_ISSUER,
    logtoEndpoint: e.LOGTO_ENDPOINT.replace(/\/+$/, ""),
    logtoApiResource: e.LOGTO_API_RESOURCE,
    logtoAlgorithms: list(e.LOGTO_ALGORITHMS ?? "ES384"),
    checkoutSuccessUrl: e.CHECKOUT_SUCCESS_URL ?? "https://maximus.example/checkout/success?session_id={CHECKOUT_SESSION_ID}",
    checkoutCancelUrl: e.CHECKOUT_CANCEL_URL ?? "https://maximus.example/checkout/cancel",
    billingPortalReturnUrl: e.BILLING_PORTAL_RETURN_URL ?? "https://maximus.example/account",
    resendApiKey: e.RESEND_API_KEY || undefined,
    resendBaseUrl: e.RESEND_BASE_URL,
    emailFrom: e.EMAIL_FROM,
    activationLimit: e.ACTIVATION_LIMIT,
    deactivationLimit: e.DEACTIVATION_LIMIT,
    offlineGraceDays: e.OFFLINE_GRACE_DAYS,
    licenseGraceDays: e.LICENSE_GRACE_DAYS,
    rateLimitDisabled: e.RATE_LIMIT_DISABLED === "true",
    emailTimeoutMs: e.EMAIL_TIMEOUT_MS,
  };
  const refused = [...missingLimiters(env, config), ...liveModeRefusals(config), ...missingLiveUrls];
  if (refused.length > 0) throw new ConfigError(refused);
  cache.set(env, config);
  return config;
}
