import { createRoute } from "@hono/zod-openapi";
import { createConsoleRouter } from "../_shared/console/console-router";
import { CONSOLE_CSS } from "../_shared/console/console-styles";

const consoleCssRoute = createRoute({
  method: "get",
  path: "/console/console.css",
  operationId: "consoleCss",
  hide: true,
  responses: { 200: { description: "The console's one stylesheet" } },
});

/**
 * The pages' stylesheet, from the Worker itself (the CSP allows styles from 'self' only, and nothing
 * loads from a CDN). No sign-in: the error pages shown before one use it too, and it holds nothing.
 */
export const consoleCss = createConsoleRouter().openapi(consoleCssRoute, (c) =>
  c.body(CONSOLE_CSS, 200, {
    "Content-Type": "text/css; charset=utf-8",
    "Cache-Control": "public, max-age=3600",
    "X-Content-Type-Options": "nosniff",
  }),
);
