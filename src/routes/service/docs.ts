import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { problemResponses } from "../../openapi/problem-responses";
import { DOCS_HEADERS, docsStartScript, SWAGGER_UI_FILES } from "../../openapi/docs-assets";
import { renderDocsPage } from "../../openapi/docs-page";
import { createRouter } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { openApiDocumentRoute } from "./openapi";

const docsRoute = createRoute({
  method: "get",
  path: "/docs",
  operationId: "getApiReference",
  tags: ["Service"],
  summary: "API reference page (HTML)",
  ...GATES.public.route,
  responses: {
    200: { description: "An HTML page listing every operation.", content: { "text/html": { schema: z.string() } } },
    ...problemResponses(...GATES.public.errors),
  },
});

const docsAssetRoute = createRoute({
  method: "get",
  path: "/docs/assets/{file}",
  operationId: "getApiReferenceAsset",
  tags: ["Service"],
  summary: "A file the API reference page loads (Swagger UI, served by this Worker)",
  ...GATES.public.route,
  request: {
    params: z.object({
      file: z.string().openapi({ param: { description: "`swagger-ui-bundle.js`, `swagger-ui.css` or `start.js`" } }),
    }),
  },
  responses: {
    // The file as it is (JavaScript or CSS), under the page's Content-Security-Policy.
    200: { description: "The file, under the page's Content-Security-Policy." },
    ...problemResponses(...GATES.public.errors, "not_found"),
  },
});

const ASSETS_URL = docsAssetRoute.path.replace("{file}", "");
const DOCUMENT_URL = openApiDocumentRoute.path;

/** A human page over the OpenAPI document, and the Swagger UI files it loads (the page and its assets are one operation pair). */
export const getApiReference = (document: () => Record<string, unknown>) =>
  createRouter()
    .openapi(docsRoute, (c) =>
      c.html(renderDocsPage(document(), { document: DOCUMENT_URL, assets: ASSETS_URL }), 200, DOCS_HEADERS),
    )
    .openapi(docsAssetRoute, async (c) => {
      const { file } = c.req.valid("param");
      if (file === "start.js") {
        return c.body(docsStartScript(DOCUMENT_URL), 200, {
          ...DOCS_HEADERS,
          "Content-Type": "text/javascript; charset=utf-8",
        });
      }
      if (!Object.hasOwn(SWAGGER_UI_FILES, file)) throw new AppError("not_found", `No file ${file} here.`);
      const asset = await c.env.ASSETS.fetch(new URL(`/${file}`, c.req.url));
      if (!asset.ok) throw new Error(`docs asset ${file}: ASSETS answered ${asset.status}`);
      const contentType = SWAGGER_UI_FILES[file as keyof typeof SWAGGER_UI_FILES];
      return new Response(asset.body, { headers: { ...DOCS_HEADERS, "Content-Type": contentType } });
    });
