import { createRoute, z } from "@hono/zod-openapi";
import { renderDocsPage } from "../../openapi/docs-page";
import { problemResponses } from "../../errors";
import { limitByClientIp } from "../../middleware/rate-limit";
import { createRouter, SECURITY } from "../declare";

const documentRoute = createRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  tags: ["Service"],
  summary: "This OpenAPI 3.1 document",
  security: SECURITY.none,
  middleware: [limitByClientIp] as const,
  responses: {
    200: { description: "The document.", content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } },
    ...problemResponses("rate_limited"),
  },
});

const docsRoute = createRoute({
  method: "get",
  path: "/docs",
  operationId: "getApiReference",
  tags: ["Service"],
  summary: "API reference page (HTML)",
  security: SECURITY.none,
  middleware: [limitByClientIp] as const,
  responses: {
    200: { description: "An HTML page listing every operation.", content: { "text/html": { schema: z.string() } } },
    ...problemResponses("rate_limited"),
  },
});

/** The OpenAPI document (generated from the routes' declarations, once per isolate) and a human page over it. */
export function openApiRoutes(document: () => Record<string, unknown>) {
  return createRouter()
    .openapi(documentRoute, (c) => {
      c.header("Cache-Control", "public, max-age=300");
      return c.json(document(), 200);
    })
    .openapi(docsRoute, (c) => {
      c.header("Cache-Control", "public, max-age=300");
      return c.html(renderDocsPage(document(), documentRoute.path), 200);
    });
}
