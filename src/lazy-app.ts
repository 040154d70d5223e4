import type { OpenAPIHono } from "@hono/zod-openapi";
import { Hono } from "hono";
import type { AppEnv } from "./app-env";
import type { Bindings } from "./env";
import { ON_DEMAND_ROUTES, type OnDemandRoute } from "./routes/on-demand";

type Served = Pick<OpenAPIHono<AppEnv>, "fetch">;

/**
 * The Worker's fetch. Most requests land on an isolate that has not run yet, and its start is paid
 * by the caller, so nothing is built before it is needed: a front router that knows each operation
 * by method and path only hands the request, untouched, to that operation's own app (the global
 * middleware of app-shell.ts around its one router), imported and built on its first request. The
 * OpenAPI document, /docs and any path no operation has go to the whole API (app.ts), built the
 * first time one of them is asked for. Either way the request meets the same middleware, route and
 * error contract as in the whole app.
 */
export function createLazyApp() {
  const built = new Map<OnDemandRoute | "whole", Promise<Served>>();
  const serve = (key: OnDemandRoute | "whole", build: () => Promise<Served>) => {
    let app = built.get(key);
    if (!app) {
      app = build();
      built.set(key, app);
      // A failed import is not kept: the next request tries again.
      app.catch(() => built.delete(key));
    }
    return app;
  };
  const whole = () => serve("whole", async () => (await import("./app")).createApp());
  const one = (route: OnDemandRoute) =>
    serve(route, async () => {
      const [{ createAppShell }, router] = await Promise.all([import("./app-shell"), route.load()]);
      return createAppShell().route("/", router);
    });

  const front = new Hono<{ Bindings: Bindings }>();
  for (const route of ON_DEMAND_ROUTES)
    front.on(route.method, route.path, async (c) => (await one(route)).fetch(c.req.raw, c.env, c.executionCtx));
  front.notFound(async (c) => (await whole()).fetch(c.req.raw, c.env, c.executionCtx));
  return front;
}
