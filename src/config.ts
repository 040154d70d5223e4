import { z } from "zod";
import { ConfigError } from "./lib/config-error";
import { PUBLISHED_DEV_VALUES as DEV } from "./published-dev-values";

export { ConfigError };

const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const wholeNumber = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: "custom", message: "must be a whole number" });
        return z.NEVER;
      }
      return n;
    });

const optionalUrl = z.url().optional();

/** One INTERNAL_API_KEYS entry: `name:secret`; the name is the actor its calls are audited under. */
export interface InternalKey {
  name: string;
  secret: string;
  /** A bare secret (no `name:`): still accepted outside live mode, as `unnamed-<n>`. */
  named: boolean;
}

const KEY_NAME = /^([A-Za-z0-9][A-Za-z0-9._@-]{0,63}):(.+)$/;

/** `name:secret` entries; a bare secret becomes `unnamed-<n>` (its place in the list, from 1). */
function parseInternalKeys(value: string): InternalKey[] {
  return list(value).map((entry, i) => {
    const m = KEY_NAME.exec(entry);
    return m?.[1] && m[2]
      ? { name: m[1], secret: m[2], named: true }
      : { name: `unnamed-${i + 1}`, secret: entry, named: false };
  });
}

/** `https://a.example,http://127.0.0.1:8787` → their normalised origins; anything else (a path, a query) is refused. */
function toOrigins(v: string | undefined, ctx: z.RefinementCtx): string[] {
  const origins = list(v ?? "").map((s) => (URL.canParse(s) ? new URL(s) : null));
  const isOrigin = (u: URL | null): u is URL => !!u && /^https?:$/.test(u.protocol) && u.href === `${u.origin}/`;
  if (!origins.every(isOrigin)) {
    ctx.addIssue({ code: "custom", message: "must be comma-separated origins (scheme://host[:port])" });
    return z.NEVER;
  }
  return origins.map((u) => u.origin);
}

/** Cloudflare Rate Limiting bindings (wrangler.toml): without one, every request fails closed. */
const LIMITER_BINDINGS = ["IP_RATE_LIMITER", "LICENSE_RATE_LIMITER", "ACCOUNT_RATE_LIMITER"] as const;
/** Internal keys are bearer secrets: shorter than this is guessable in a live deployment. */
const MIN_LIVE_INTERNAL_KEY_LENGTH = 32;
/** Live buyers must be sent back to our real pages, never to the placeholder defaults. */
const LIVE_URLS = ["CHECKOUT_SUCCESS_URL", "CHECKOUT_CANCEL_URL", "BILLING_PORTAL_RETURN_URL"] as const;
const LIVE_CONSOLE = ["ACCESS_TEAM_DOMAIN", "ACCESS_AUD", "PUBLIC_ORIGINS"] as const;

const BindingsSchema = z.object({
  DATABASE_URL: z.string().min(1),
  /** Local dev, tests and bench only: where the Neon HTTP driver sends SQL (tools/local-stack/neon-http-endpoint.mjs). */
  NEON_HTTP_ENDPOINT: optionalUrl,
  STRIPE_SECRET_KEY: z.string().min(1),
  STRIPE_WEBHOOK_SECRET: z.string().min(1),
  STRIPE_API_BASE: optionalUrl,
  /** Exactly `true` or `false`: anything else (`TRUE`, `1`, empty) is a configuration error, never a silent test mode. */
  STRIPE_LIVEMODE: z.enum(["true", "false"]).optional(),
  INTERNAL_API_KEYS: z.string().min(1),
  LICENSE_SIGNING_KEYS: z.string().min(1),
  LICENSE_ISSUER: z.string().min(1),
  LOGTO_ENDPOINT: z.url(),
  LOGTO_API_RESOURCE: z.string().min(1),
  LOGTO_ALGORITHMS: z.string().optional(),
  /** The desktop apps' Logto application ids (comma-separated): tokens of any other client are refused. */
  LOGTO_CLIENT_IDS: z.string().optional(),
  CHECKOUT_SUCCESS_URL: optionalUrl,
  CHECKOUT_CANCEL_URL: optionalUrl,
  BILLING_PORTAL_RETURN_URL: optionalUrl,
  RESEND_API_KEY: z.string().optional(),
  RESEND_BASE_URL: optionalUrl,
  EMAIL_FROM: z.string().min(3),
  ACTIVATION_LIMIT: wholeNumber(3),
  DEACTIVATION_LIMIT: wholeNumber(3),
  OFFLINE_GRACE_DAYS: wholeNumber(7),
  LICENSE_GRACE_DAYS: wholeNumber(7),
  RATE_LIMIT_DISABLED: z.string().optional(),
  EMAIL_TIMEOUT_MS: wholeNumber(8000),
  RECOVERY_EMAILS_PER_HOUR: wholeNumber(100),
  EMAIL_BODY_RETENTION_DAYS: wholeNumber(0),
  EVENT_PAYLOAD_RETENTION_DAYS: wholeNumber(30),
  /** Cloudflare Access in front of /console: the team's origin (`https://<team>.cloudflareaccess.com`) and the application's AUD tag. */
  ACCESS_TEAM_DOMAIN: optionalUrl,
  ACCESS_AUD: z.string().optional(),
  /** The origins clients address the service by (a DPoP proof's `htu`, a console form's `Origin`): the Worker never sees them. */
  PUBLIC_ORIGINS: z.string().optional().transform(toOrigins),
  DPOP_MAX_AGE_SECONDS: wholeNumber(60),
  SEAT_PROOF: z.enum(["optional", "required"]).default("optional"),
  IP_RATE_LIMITER: z.unknown(),
  LICENSE_RATE_LIMITER: z.unknown(),
  ACCOUNT_RATE_LIMITER: z.unknown(),
});

type Bound = z.output<typeof BindingsSchema>;

/** `sk_live_`/`rk_live_` → live, `sk_test_`/`rk_test_` → test, anything else: the key does not say. */
const modeOfStripeKey = (key: string): boolean | null => {
  const mode = /^(?:sk|rk)_(live|test)_/.exec(key)?.[1];
  return mode ? mode === "live" : null;
};

const toConfig = (e: Bound) => ({
  databaseUrl: e.DATABASE_URL,
  neonHttpEndpoint: e.NEON_HTTP_ENDPOINT,
  stripeSecretKey: e.STRIPE_SECRET_KEY,
  stripeWebhookSecrets: list(e.STRIPE_WEBHOOK_SECRET),
  stripeApiBase: e.STRIPE_API_BASE ? new URL(e.STRIPE_API_BASE) : undefined,
  // The key's prefix says which mode we run in; STRIPE_LIVEMODE only speaks for a key without one
  // (a contradiction is refused below), so a live key always gets the live checks.
  stripeLivemode: modeOfStripeKey(e.STRIPE_SECRET_KEY) ?? e.STRIPE_LIVEMODE === "true",
  internalApiKeys: parseInternalKeys(e.INTERNAL_API_KEYS),
  signingKeysJson: e.LICENSE_SIGNING_KEYS,
  licenseIssuer: e.LICENSE_ISSUER,
  logtoEndpoint: e.LOGTO_ENDPOINT.replace(/\/+$/, ""),
  logtoApiResource: e.LOGTO_API_RESOURCE,
  logtoAlgorithms: list(e.LOGTO_ALGORITHMS ?? "ES384"),
  // Empty (unset) accepts every client of the tenant: test mode only, refused live below.
  logtoClientIds: list(e.LOGTO_CLIENT_IDS ?? ""),
  /** Where Stripe sends the buyer back; the success URL carries Stripe's `{CHECKOUT_SESSION_ID}` placeholder. */
  checkoutSuccessUrl:
    e.CHECKOUT_SUCCESS_URL ?? "https://maximus.example/checkout/success?session_id={CHECKOUT_SESSION_ID}",
  checkoutCancelUrl: e.CHECKOUT_CANCEL_URL ?? "https://maximus.example/checkout/cancel",
  billingPortalReturnUrl: e.BILLING_PORTAL_RETURN_URL ?? "https://maximus.example/account",
  resendApiKey: e.RESEND_API_KEY || undefined,
  resendBaseUrl: e.RESEND_BASE_URL,
  emailFrom: e.EMAIL_FROM,
  activationLimit: e.ACTIVATION_LIMIT,
  /** Seats a license may free per rolling 30 days (seat churn through offline leases). */
  deactivationLimit: e.DEACTIVATION_LIMIT,
  offlineGraceDays: e.OFFLINE_GRACE_DAYS,
  licenseGraceDays: e.LICENSE_GRACE_DAYS,
  rateLimitDisabled: e.RATE_LIMIT_DISABLED === "true",
  emailTimeoutMs: e.EMAIL_TIMEOUT_MS,
  /** License recovery emails, all addresses together, in any hour (besides the per-address limits). */
  recoveryEmailsPerHour: e.RECOVERY_EMAILS_PER_HOUR,
  /** Days a delivered email keeps its body (docs/privacy.md); 0: blanked by the next nightly run. */
  emailBodyRetentionDays: e.EMAIL_BODY_RETENTION_DAYS,
  /** Days an applied Stripe event keeps its payload (docs/privacy.md). */
  eventPayloadRetentionDays: e.EVENT_PAYLOAD_RETENTION_DAYS,
  accessTeamDomain: e.ACCESS_TEAM_DOMAIN ? new URL(e.ACCESS_TEAM_DOMAIN).origin : undefined,
  accessAud: e.ACCESS_AUD || undefined,
  publicOrigins: e.PUBLIC_ORIGINS,
  /** How far a DPoP proof's `iat` may be from our clock, either way; also how long its `jti` is remembered. */
  dpopMaxAgeSec: e.DPOP_MAX_AGE_SECONDS,
  /** `required`: every seat is bound to an install's key (API.md, "Seats bound to a key"). */
  seatProof: e.SEAT_PROOF,
});

function usesPublishedSigningKey(json: string): boolean {
  try {
    const keys = JSON.parse(json) as { x?: unknown; d?: unknown }[];
    return (
      Array.isArray(keys) && keys.some((k) => k?.x === DEV.LICENSE_SIGNING_KEY_X || k?.d === DEV.LICENSE_SIGNING_KEY_D)
    );
  } catch {
    return false; // malformed: the keyring reports it
  }
}

/**
 * What a well-formed configuration still may not run with: a missing limiter binding (fail closed),
 * and with live money the mistakes that leak (no email provider: keys only in logs; a published dev
 * secret or a short internal key: anyone signs licenses or calls support; placeholder return URLs).
 */
function refusals(e: Bound, config: ReturnType<typeof toConfig>): string[] {
  const refused: string[] = config.rateLimitDisabled
    ? []
    : LIMITER_BINDINGS.filter((name) => typeof (e[name] as { limit?: unknown } | undefined)?.limit !== "function");
  const keyMode = modeOfStripeKey(e.STRIPE_SECRET_KEY);
  if (e.STRIPE_LIVEMODE !== undefined && keyMode !== null && keyMode !== (e.STRIPE_LIVEMODE === "true"))
    refused.push("STRIPE_LIVEMODE");
  if (!config.stripeLivemode) return refused;
  if (!config.resendApiKey) refused.push("RESEND_API_KEY");
  if (usesPublishedSigningKey(config.signingKeysJson)) refused.push("LICENSE_SIGNING_KEYS");
  // A live key has a name (the audit log's actor), and is neither short nor the published dev one.
  if (
    config.internalApiKeys.some(
      (k) => !k.named || k.secret === DEV.INTERNAL_API_KEYS || k.secret.length < MIN_LIVE_INTERNAL_KEY_LENGTH,
    )
  )
    refused.push("INTERNAL_API_KEYS");
  if (config.stripeWebhookSecrets.includes(DEV.STRIPE_WEBHOOK_SECRET)) refused.push("STRIPE_WEBHOOK_SECRET");
  if (config.rateLimitDisabled) refused.push("RATE_LIMIT_DISABLED");
  if (config.logtoClientIds.length === 0) refused.push("LOGTO_CLIENT_IDS");
  refused.push(...LIVE_URLS.filter((k) => !e[k]));
  // The console is behind Cloudflare Access and takes forms only from our own origins.
  refused.push(
    ...LIVE_CONSOLE.filter((k) => {
      const v = e[k];
      return Array.isArray(v) ? v.length === 0 : !v;
    }),
  );
  return refused;
}

/** The Worker's bindings as configuration: one schema (README lists each variable). */
const ConfigSchema = BindingsSchema.transform((e, ctx) => {
  const config = toConfig(e);
  const refused = refusals(e, config);
  for (const name of refused) ctx.addIssue({ code: "custom", path: [name], message: "refused" });
  return refused.length > 0 ? z.NEVER : config;
});

export type Config = z.output<typeof ConfigSchema>;
/** The bindings the schema reads, as the Worker receives them. */
export type ConfigBindings = z.input<typeof ConfigSchema>;

// Weakly keyed by the env object: an isolate holds one, and a replaced env is collected with its entry.
const cache = new WeakMap<object, Config>();

/**
 * Parses the bindings once per isolate (the env object is stable for an isolate's lifetime). A
 * broken or unsafe configuration throws ConfigError (names only) on every request: the service
 * answers 503 `misconfigured` rather than run half-configured.
 */
export function loadConfig(env: object): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError([...new Set(parsed.error.issues.map((i) => String(i.path[0])))]);
  cache.set(env, parsed.data);
  return parsed.data;
}
