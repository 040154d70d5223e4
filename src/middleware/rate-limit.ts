import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { rateLimited } from "../lib/rate-limited";

const clientIp = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? "unknown";

// Authenticated routes: their auth middleware counts only the failed attempts against the client IP,
// so a busy backend or signed-in app is never throttled by its own successes. Stripe signs the webhook.
const NOT_PER_IP = [/^\/subscriptions\/webhook$/, /^\/admin\//, /^\/licenses\/generate$/, /^\/subscriptions\/status$/, /^\/checkout\/sessions/, /^\/billing\/portal$/];

/**
 * Every unauthenticated request (license endpoints, /health, the public documents, unknown paths)
 * is limited per client IP: random or padded keys do not buy a fresh bucket each.
 */
export const limitByClientIp = createMiddleware<AppEnv>(async (c, next) => {
  if (NOT_PER_IP.some((p) => p.test(c.req.path))) return next();
  await countAgainstClientIp(c);
  await next();
});

/** One request (or one failed authentication) from this client IP; over the limit: 429. */
export async function countAgainstClientIp(c: Context<AppEnv>): Promise<void> {
  if (c.get("services").config.rateLimitDisabled) return;
  const { success } = await c.env.IP_RATE_LIMITER.limit({ key: `ip:${clientIp(c)}` });
  if (!success) throw rateLimited();
}

/** Account endpoints, behind the Logto middleware: limited per signed-in user. */
export const limitByAccount = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("services").config.rateLimitDisabled) return next();
  const subject = c.get("auth")?.sub;
  const { success } = await c.env.ACCOUNT_RATE_LIMITER.limit({ key: subject ? `sub:${subject}` : `ip:${clientIp(c)}` });
  if (!success) throw rateLimited();
  await next();
});
