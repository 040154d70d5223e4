import type { AppEnv } from "./app-env";
import { accessLog } from "./middleware/access-log";
import { assumeJsonBody, KiB, limitBodyByDefault } from "./middleware/body-limit";
import { provideContext } from "./middleware/context";
import { onError, onNotFound } from "./middleware/error-handler";
import { requestId } from "./middleware/request-id";
import { buildOpenApiDocument, registerSharedComponents } from "./openapi/document";
import { createRouter } from "./routes/_shared/declare";
import { CONSOLE_ROUTERS, REFERENCED_SCHEMAS, ROUTERS } from "./routes";
import { getApiReference } from "./routes/service/docs";
import { getOpenApiDocument } from "./routes/service/openapi";

/** Global middleware, the routers (each route declares its own auth, rate and body limits), and the error contract. */
export function createApp() {
  const app = createRouter();
  app.use(requestId);
  app.use(accessLog);
  // Routes that take a body declare their limit; this one covers every other request.
  app.use(limitBodyByDefault(16 * KiB));
  app.use(provideContext);
  // The console posts HTML forms: its routes come before the middleware that reads every body as JSON.
  for (const router of CONSOLE_ROUTERS) app.route("/", router);
  app.use(assumeJsonBody);

  for (const router of ROUTERS) app.route("/", router);
  let document: Record<string, unknown> | undefined;
  const documentOnce = () => (document ??= buildOpenApiDocument(app));
  app.route("/", getOpenApiDocument(documentOnce));
  app.route("/", getApiReference(documentOnce));
  registerSharedComponents(app, REFERENCED_SCHEMAS);

  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
export type { AppEnv };
