import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { createCtx } from "../context";
import { createLogger } from "../lib/logger";

/** The request's dependencies, built once and handed to services as `c.get("ctx")`. */
export const provideContext = createMiddleware<AppEnv>(async (c, next) => {
  c.set("ctx", createCtx(c.env, createLogger({ requestId: c.get("requestId") })));
  await next();
});
