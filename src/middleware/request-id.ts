import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Echoes a sane X-Request-Id or makes one, and stamps it on every response, including the
 * problem+json ones that onError and notFound build as fresh Response objects.
 */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header("X-Request-Id");
  const id = given && ACCEPTABLE.test(given) ? given : crypto.randomUUID();
  c.set("requestId", id);
  await next();
  c.res.headers.set("X-Request-Id", id);
});
