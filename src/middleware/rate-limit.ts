import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { AppError } from "../errors";
import { sha256, toHex } from "../lib/crypto";

const WINDOW_SECONDS = "60"; // the bindings' period (wrangler.toml)

const rateLimited = () =>
  new AppError("rate_limited", "Too many requests. Please retry later.", { headers: { "Retry-After": WINDOW_SECONDS } });

const clientIp = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? "unknown";

/** The license key in the JSON body, if any: never stored or logged, only hashed into the limiter key. */
async function presentedKey(c: Context<AppEnv>): Promise<string | null> {
  try {
    const body = JSON.parse(await c.req.text()) as { key?: unknown };
    return typeof body?.key === "string" && body.key.length > 0 && body.key.length <= 8192 ? body.key : null;
  } catch {
    return null;
  }
}

/**
 * activate / validate / deactivate: limited per license key (a hash of it), so guessing or
 * flooding one key is throttled wherever it comes from; requests without a key per client IP.
 */
export const limitByLicenseKey = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("ctx").config.rateLimitDisabled) return next();
  const key = await presentedKey(c);
  const limiterKey = key ? `key:${toHex(await sha256(key)).slice(0, 32)}` : `ip:${clientIp(c)}`;
  const { success } = await c.env.LICENSE_RATE_LIMITER.limit({ key: limiterKey });
  if (!success) throw rateLimited();
  await next();
});

/** Account endpoints, behind the Logto middleware: limited per signed-in user. */
export const limitByAccount = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("ctx").config.rateLimitDisabled) return next();
  const subject = c.get("auth")?.sub;
  const { success } = await c.env.ACCOUNT_RATE_LIMITER.limit({ key: subject ? `sub:${subject}` : `ip:${clientIp(c)}` });
  if (!success) throw rateLimited();
  await next();
});
