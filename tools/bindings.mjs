// The one list of the Worker's bindings for a local run against the local stack and the fakes: the
// tests (test/bindings.ts, in miniflare), the bench (wrangler dev --var) and `npm run dev` (the
// database half; its secrets come from .dev.vars) all build theirs here, so a new binding is added once.

/** Where the Worker finds its database locally. @param {{ databaseUrl: string; endpointUrl: string }} stack */
export const databaseBindings = ({ databaseUrl, endpointUrl }) => ({
  DATABASE_URL: databaseUrl,
  NEON_HTTP_ENDPOINT: endpointUrl,
});

/**
 * Every binding a local Worker needs, pointed at the local stack and at fake Stripe, Resend and Logto.
 * `webhookSecrets` and `internalKeys` are lists (the Worker accepts each of them); `extra` adds or
 * overrides bindings (a test's limits, the bench's RATE_LIMIT_DISABLED).
 * @param {{
 *   stack: { databaseUrl: string; endpointUrl: string };
 *   signingKeys: string;
 *   webhookSecrets: string[];
 *   internalKeys: string[];
 *   fakes: { stripe: string; resend: string; logto: string; logtoResource: string };
 *   stripeSecretKey: string;
 *   resendApiKey: string;
 *   extra?: Record<string, string>;
 * }} p
 */
export function localBindings(p) {
  return {
    ...databaseBindings(p.stack),
    LICENSE_SIGNING_KEYS: p.signingKeys,
    STRIPE_SECRET_KEY: p.stripeSecretKey,
    STRIPE_WEBHOOK_SECRET: p.webhookSecrets.join(","),
    STRIPE_API_BASE: p.fakes.stripe,
    STRIPE_LIVEMODE: "false",
    INTERNAL_API_KEYS: p.internalKeys.join(","),
    LOGTO_ENDPOINT: p.fakes.logto,
    LOGTO_API_RESOURCE: p.fakes.logtoResource,
    RESEND_API_KEY: p.resendApiKey,
    RESEND_BASE_URL: p.fakes.resend,
    ...p.extra,
  };
}
