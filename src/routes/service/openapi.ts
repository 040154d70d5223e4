import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { createRouter } from "../_shared/declare";
import { GATES } from "../_shared/gates";

export const openApiDocumentRoute = createRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  tags: ["Service"],
  summary: "This OpenAPI 3.1 document",
  ...GATES.public.route,
  responses: {
    200: {
      description: "The document.",
      content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
    },
    ...problemResponses(...GATES.public.errors),
  },
});

/** The OpenAPI document, generated from the routes' declarations once per isolate (app.ts builds it). */
export const getOpenApiDocument = (document: () => Record<string, unknown>) =>
  createRouter().openapi(openApiDocumentRoute, (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(document(), 200);
  });
