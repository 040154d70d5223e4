import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { createLogger } from "../lib/logger";

/**
 * One line per request: method, route pattern (never the query string), status, duration, and the
 * ids the route added (e.g. the Stripe event id), so a request never needs a second line.
 */
export const accessLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  createLogger().info("request", {
    requestId: c.get("requestId"),
    method: c.req.method,
    path: c.req.routePath === "/*" ? "unmatched" : c.req.routePath,
    status: c.res.status,
    durationMs: Date.now() - started,
    ...c.get("logFields"),
  });
});
