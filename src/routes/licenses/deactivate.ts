import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { deactivateMachine } from "../../services/licenses/deactivate-machine";
import { createRouter, jsonBody, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { SeatFields } from "../_shared/license-fields";
import { SeatProofHeaders, seatProofOf } from "../_shared/seat-proof-header";

const DeactivateBody = namedSchema("DeactivateRequest", z.object(SeatFields));
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
    "counted deactivation leaves the window). A seat bound to a key needs a `DPoP` proof of that key: " +
    '`401 invalid_proof` with `WWW-Authenticate: DPoP algs="EdDSA"` without one, or with a bad one.',
  ...GATES.publicJson.route,
  request: { headers: SeatProofHeaders, body: jsonBody(DeactivateBody) },
  responses: {
    200: jsonResponse("The seat is free.", DeactivateResponse),
    ...problemResponses(
      ...GATES.publicJson.errors,
      "invalid_license",
      "invalid_proof",
      "deactivation_limit_reached",
      "unavailable",
    ),
  },
});

// Idempotent: a machine that held no seat is deactivated already (docs/verifying-licenses.md).
export const deactivateLicense = createRouter().openapi(deactivateRoute, async (c) => {
  const body = c.req.valid("json");
  await deactivateMachine(c.get("ctx"), { key: body.key, machineId: body.machine_id, proof: seatProofOf(c) });
  return c.json({ deactivated: true as const }, 200);
});
