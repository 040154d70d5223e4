import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { InvalidAccessTokenError, LogtoUnavailableError } from "../errors";
import type { LogtoIdentity } from "../integrations/logto/access-token";
import { errorMessage } from "../lib/logger";
import { countAgainstClientIp } from "./rate-limit";

/** Verifies the Logto access token and exposes its subject as `c.get("auth")`. */
export const requireLogtoUser = createMiddleware<AppEnv>(async (c, next) => {
  const { logto, log } = c.get("ctx");
  try {
    c.set("auth", await logto.verify(c.req.header("Authorization")));
  } catch (err) {
    // errors.ts toFailure answers both (401 with its challenge, 503 with Retry-After); this only logs and counts.
    if (err instanceof InvalidAccessTokenError) {
      log.info("logto token rejected", { reason: err.reason });
      await countAgainstClientIp(c); // a rejected token counts against the client IP
    } else if (err instanceof LogtoUnavailableError) {
      log.error("logto jwks unavailable", { error: errorMessage(err.cause) });
    }
    throw err;
  }
  await next();
});

/** The verified user of a route behind `requireLogtoUser`. */
export function getLogtoUser(c: Context<AppEnv>): LogtoIdentity {
  const auth = c.get("auth");
  // Only reachable when a route forgot the middleware: fail closed and loudly (500).
  if (!auth) throw new Error("route is not behind requireLogtoUser");
  return auth;
}
