import { Hono } from "hono";
import type { AppEnv } from "../env";
import { renderDocsPage } from "../openapi/docs-page";
import { openApiDocument } from "../openapi/document";

/** The OpenAPI document (built from the routes' zod schemas) and a human page over it. */
export const openApi = new Hono<AppEnv>()
  .get("/openapi.json", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(openApiDocument());
  })
  .get("/docs", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.html(renderDocsPage());
  });
