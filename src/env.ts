import type { LogFields } from "./lib/logger";
import type { LogtoIdentity } from "./lib/logto";
import type { Services } from "./middleware/services";

// Bindings that `wrangler types` cannot see: secrets set only in some environments, and the
// local-only endpoint overrides. Declared here so `env` from cloudflare:workers knows them too.
declare global {
  namespace Cloudflare {
    interface Env {
      DATABASE_URL: string;
      /** Local dev, tests and bench only: where the Neon HTTP driver sends SQL (scripts/lib/neon-http-endpoint.mjs). */
      NEON_HTTP_ENDPOINT?: string;
      STRIPE_API_BASE?: string;
      STRIPE_LIVEMODE?: string;
      RESEND_API_KEY?: string;
      RESEND_BASE_URL?: string;
      LOGTO_ALGORITHMS?: string;
      CHECKOUT_SUCCESS_URL?: string;
      CHECKOUT_CANCEL_URL?: string;
      BILLING_PORTAL_RETURN_URL?: string;
      RATE_LIMIT_DISABLED?: string;
      EMAIL_TIMEOUT_MS?: string;
    }
  }
}

export type Bindings = Cloudflare.Env;

export type AppEnv = {
  Bindings: Bindings;
  /** `auth` is set by the Logto middleware on the account routes only. */
  /** `logFields`: ids a route adds to its request's access-log line (never secrets or keys). */
  Variables: { requestId: string; services: Services; auth?: LogtoIdentity; logFields?: LogFields };
};
