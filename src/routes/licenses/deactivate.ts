import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { limitByClientIp } from "../../middleware/rate-limit";
import { deactivateMachine } from "../../services/licenses/deactivate-machine";
import { createRouter, JSON_BODY_ERRORS, jsonBody, jsonResponse, limitJsonBody, SECURITY } from "../_shared/declare";
import { licenseKeyField, machineIdField } from "../_shared/license-fields";

const DeactivateBody = namedSchema("DeactivateRequest", z.object({ key: licenseKeyField, machine_id: machineIdField }));
const DeactivateResponse = namedSchema("DeactivateResponse", z.object({ deactivated: z.literal(true) }));

const deactivateRoute = createRoute({
  method: "post",
  path: "/licenses/deactivate",
  operationId: "deactivateLicense",
  tags: ["Licenses"],
  summary: "Free a machine's seat",
  description:
    "Idempotent: a machine without a seat is also `200`. At most `DEACTIVATION_LIMIT` (default 3) seats freed per " +
    "rolling 30 days; the next is `429 deactivation_limit_reached` with `Retry-After` (seconds until the oldest " +
    "counted deactivation leaves the window).",
  security: SECURITY.none,
  middleware: [limitJsonBody, limitByClientIp] as const,
  request: { body: jsonBody(DeactivateBody) },
  responses: {
    200: jsonResponse("The seat is free.", DeactivateResponse),
    ...problemResponses(
      ...JSON_BODY_ERRORS,
      "invalid_license",
      "deactivation_limit_reached",
      "rate_limited",
      "unavailable",
    ),
  },
});

// Idempotent: a machine that held no seat is deactivated already (docs/verifying-licenses.md).
export const deactivateLicense = createRouter().openapi(deactivateRoute, async (c) => {
  const body = c.req.valid("json");
  await deactivateMachine(c.get("ctx"), { key: body.key, machineId: body.machine_id });
  return c.json({ deactivated: true as const }, 200);
});
