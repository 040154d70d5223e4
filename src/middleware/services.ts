import { createMiddleware } from "hono/factory";
import { createCtx, type Ctx } from "../context";
import type { AppEnv } from "../env";
import { createLogger } from "../lib/logger";

export type Services = Ctx;

export const services = createMiddleware<AppEnv>(async (c, next) => {
  const log = createLogger({ requestId: c.get("requestId") });
  c.set("services", createCtx(c.env, log));
  await next();
});
