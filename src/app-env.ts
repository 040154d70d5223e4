import type { Ctx } from "./context";
import type { Bindings } from "./env";
import type { LogtoIdentity } from "./integrations/logto/access-token";
import type { LogFields } from "./lib/logger";

/** Hono's environment for every route and middleware. */
export type AppEnv = {
  Bindings: Bindings;
  /** `ctx` is built per request (middleware/context.ts); `auth` is set by the Logto middleware on the account routes. */
  /** `logFields`: ids a route adds to its request's access-log line (never secrets or keys). */
  /** `actor`: who acts, for the audit log: the internal key's name (internal-auth.ts) or the Access email (access-auth.ts). */
  Variables: { requestId: string; ctx: Ctx; auth?: LogtoIdentity; logFields?: LogFields; actor?: string };
};
