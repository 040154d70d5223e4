import { accessLog } from "./middleware/access-log";
import { assumeJsonBody, KiB, limitBodyByDefault } from "./middleware/body-limit";
import { provideContext } from "./middleware/context";
import { onError, onNotFound } from "./middleware/error-handler";
import { requestId } from "./middleware/request-id";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { createRouter } from "./routes/_shared/declare";

/**
 * What every request goes through whichever route serves it: the global middleware and the error
 * contract. The whole API (app.ts) and each route loaded on demand (lazy-app.ts) are built on it.
 */
export function createAppShell(formRouters: OpenAPIHono<AppEnv>[] = []) {
  const app = createRouter();
  app.use(requestId);
  app.use(accessLog);
  // Routes that take a body declare their limit; this one covers every other request.
  app.use(limitBodyByDefault(16 * KiB));
  app.use(provideContext);
  // Routes that take HTML forms (the console) are mounted before the middleware that reads every body as JSON.
  for (const router of formRouters) app.route("/", router);
  app.use(assumeJsonBody);
  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
