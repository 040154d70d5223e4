import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { RateLimitedError } from "../errors";
import { rateLimitClientOf } from "../lib/client-ip";

/** CF-Connecting-IP as the limiter counts it: IPv6 by /64 (lib/client-ip.ts). */
const clientIp = (c: Context<AppEnv>) => rateLimitClientOf(c.req.header("CF-Connecting-IP") ?? "unknown");

/** One request (or one failed authentication) from this client IP; over the limit: 429. */
export async function countAgainstClientIp(c: Context<AppEnv>): Promise<void> {
  if (!(await c.get("ctx").limits.allowClientIp(clientIp(c)))) throw new RateLimitedError();
}

/**
 * Unauthenticated routes (license endpoints, /health, the public documents) declare this: limited
 * per client IP before any work, so random or padded keys do not buy a fresh bucket each.
 * Authenticated routes count only failed attempts (internal-auth.ts, logto-auth.ts); Stripe signs the webhook.
 */
export const limitByClientIp = createMiddleware<AppEnv>(async (c, next) => {
  await countAgainstClientIp(c);
  await next();
});

/** Account endpoints, behind the Logto middleware: limited per signed-in user. */
export const limitByAccount = createMiddleware<AppEnv>(async (c, next) => {
  const subject = c.get("auth")?.sub;
  // Only reachable when a route forgot the Logto middleware: fail closed and loudly (500).
  if (!subject) throw new Error("limitByAccount runs after requireLogtoUser");
  if (!(await c.get("ctx").limits.allowAccount(subject))) throw new RateLimitedError();
  await next();
});
