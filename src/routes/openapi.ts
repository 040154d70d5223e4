import { Hono } from "hono";
import type { AppEnv } from "../env";
import { DOCS_HEADERS, DOCS_START_SCRIPT, SWAGGER_UI_FILES } from "../openapi/docs-assets";
import { renderDocsPage } from "../openapi/docs-page";
import { openApiDocument } from "../openapi/document";

/** The OpenAPI document (built from the routes' zod schemas) and a human page over it. */
export const openApi = new Hono<AppEnv>()
  .get("/openapi.json", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(openApiDocument());
  })
  .get("/docs", (c) => c.html(renderDocsPage(), 200, DOCS_HEADERS))
  .get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    if (file === "start.js") return c.body(DOCS_START_SCRIPT, 200, { ...DOCS_HEADERS, "Content-Type": "text/javascript; charset=utf-8" });
    if (!Object.hasOwn(SWAGGER_UI_FILES, file)) return c.notFound();
    const asset = await c.env.ASSETS.fetch(new URL(`/${file}`, c.req.url));
    if (!asset.ok) throw new Error(`docs asset ${file}: ASSETS answered ${asset.status}`);
    const contentType = SWAGGER_UI_FILES[file as keyof typeof SWAGGER_UI_FILES];
    return new Response(asset.body, { headers: { ...DOCS_HEADERS, "Content-Type": contentType } });
  });
