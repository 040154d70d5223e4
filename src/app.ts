import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { createAppShell } from "./app-shell";
import { buildOpenApiDocument, registerSharedComponents } from "./openapi/document";
import { CONSOLE_ROUTERS, REFERENCED_SCHEMAS, ROUTERS } from "./routes";
import { getApiReference } from "./routes/service/docs";
import { getOpenApiDocument } from "./routes/service/openapi";

/**
 * The whole API: global middleware, every router (each route declares its own auth, rate and body
 * limits), the OpenAPI document and the error contract. The Worker builds it only for what
 * lazy-app.ts does not serve route by route (the document, /docs, unknown paths); tests use it whole.
 */
export function createApp() {
  // The console posts HTML forms: its routes come before the middleware that reads every body as JSON.
  const app = createAppShell(CONSOLE_ROUTERS);
  for (const router of ROUTERS) app.route("/", router);
  let document: Record<string, unknown> | undefined;
  const documentOnce = () => (document ??= buildOpenApiDocument(app));
  app.route("/", getOpenApiDocument(documentOnce));
  app.route("/", getApiReference(documentOnce));
  registerSharedComponents(app, REFERENCED_SCHEMAS);
  return app;
}

type SchemaOf<R> = R extends OpenAPIHono<AppEnv, infer S, infer _B> ? S : never;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * The API as a typed client sees it (hono/client's `hc<App>`; test/support/api.ts): every route of
 * ROUTERS with its request and response types. The routers stay one list (routes/index.ts), so the
 * type folds their schemas together rather than repeating the list as one long chain.
 */
export type App = OpenAPIHono<AppEnv, Intersection<SchemaOf<(typeof ROUTERS)[number]>>, "/">;
export type { AppEnv };
