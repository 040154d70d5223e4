import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { AppError } from "../errors";
import {
  AccessDeniedError,
  AccessUnavailableError,
  createAccessVerifier,
} from "../integrations/cloudflare/access-token";
import { errorMessage } from "../lib/logger";
import { countAgainstClientIp } from "./rate-limit";

/**
 * Cloudflare Access at the console's door: `Cf-Access-Jwt-Assertion` (the header Access adds), else
 * the `CF_Authorization` cookie. No or a bad token: 401; a team token for another application or
 * issuer: 403. The person's email is the actor of what the request changes.
 */
export const requireAccess = createMiddleware<AppEnv>(async (c, next) => {
  const { config, log } = c.get("ctx");
  try {
    const verifier = createAccessVerifier(config);
    const identity = await verifier.verify(c.req.header("Cf-Access-Jwt-Assertion"), getCookie(c, "CF_Authorization"));
    c.set("actor", identity.actor);
  } catch (err) {
    if (err instanceof AccessDeniedError) {
      log.info("access token rejected", { reason: err.detail });
      await countAgainstClientIp(c);
      if (err.reason === "wrong_audience")
        throw new AppError("forbidden", "This Cloudflare Access token is for another application.");
      throw new AppError("unauthorized", "Sign in through Cloudflare Access to use the console.");
    }
    if (err instanceof AccessUnavailableError) {
      log.error("access certs unavailable", { error: errorMessage(err.cause) });
      throw new AppError("unavailable", "Sign-in cannot be checked right now. Please retry.", {
        headers: { "Retry-After": "5" },
      });
    }
    throw err;
  }
  await next();
});

/**
 * A form may be posted only from the service's own pages (PUBLIC_ORIGINS; without it, the request's
 * own origin). Access cookies ride along on cross-site requests, so this and SameSite are what keep
 * another site from acting in a signed-in person's name. No Origin header at all is refused too.
 */
export const requireOwnOrigin = createMiddleware<AppEnv>(async (c, next) => {
  const own = c.get("ctx").config.publicOrigins;
  const allowed = own.length > 0 ? own : [new URL(c.req.url).origin];
  const origin = c.req.header("Origin");
  if (!origin || !allowed.includes(origin)) {
    c.get("ctx").log.info("console post refused: foreign origin", { origin: origin ? origin.slice(0, 100) : null });
    throw new AppError("forbidden", "This form may only be sent from the console's own pages.");
  }
  await next();
});
