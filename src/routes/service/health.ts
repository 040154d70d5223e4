import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { UnavailableError } from "../../errors";
import { problemResponses } from "../../openapi/problem-responses";
import { isDatabaseUp } from "../../services/health/check-database";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";

const HealthResponse = namedSchema("HealthResponse", z.object({ status: z.literal("ok") }));

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  tags: ["Service"],
  summary: "Liveness: the database answers",
  ...GATES.public.route,
  responses: {
    200: jsonResponse("The database answered.", HealthResponse),
    ...problemResponses(...GATES.public.errors, "unavailable"),
  },
});

export const getHealth = createRouter().openapi(healthRoute, async (c) => {
  if (await isDatabaseUp(c.get("ctx"))) return c.json({ status: "ok" as const }, 200);
  throw new UnavailableError("The database did not answer.");
});
