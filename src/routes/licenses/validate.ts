import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { checkLicense } from "../../services/licenses/check-license";
import { createRouter, jsonBody, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { LicenseSummary, licenseKeyOut, presentLicense, SeatFields } from "../_shared/license-fields";
import { SeatProofHeaders, seatProofOf } from "../_shared/seat-proof-header";

const ValidateBody = namedSchema("ValidateRequest", z.object(SeatFields).partial({ machine_id: true }));

const ValidateResponse = namedSchema(
  "ValidateResponse",
  z.object({
    valid: z.boolean(),
    code: z.enum([
      "valid",
      "revoked",
      "suspended",
      "expired",
      "invalid",
      "not_activated",
      "machine_limit",
      "invalid_proof",
    ]),
    license: LicenseSummary.nullable(),
    lease: z.string().optional().describe("only when valid and the machine is activated"),
    key: licenseKeyOut.optional(),
  }),
);

const validateRoute = createRoute({
  method: "post",
  path: "/licenses/validate",
  operationId: "validateLicense",
  tags: ["Licenses"],
  summary: "Is this key valid (on this machine)?",
  description:
    "Always `200` for a well-formed request: the answer is in `valid` and `code`. A seat bound to a key needs a " +
    "`DPoP` proof of that key (`invalid_proof` without one, or with a bad one).",
  ...GATES.publicJson.route,
  request: { headers: SeatProofHeaders, body: jsonBody(ValidateBody) },
  responses: {
    200: jsonResponse("The verdict.", ValidateResponse),
    ...problemResponses(...GATES.publicJson.errors, "unavailable"),
  },
});

export const validateLicense = createRouter().openapi(validateRoute, async (c) => {
  const body = c.req.valid("json");
  const result = await checkLicense(c.get("ctx"), {
    key: body.key,
    machineId: body.machine_id,
    proof: seatProofOf(c),
  });
  return c.json(
    {
      valid: result.code === "valid",
      code: result.code,
      license: result.license && presentLicense(result.license),
      ...(result.lease ? { lease: result.lease } : {}),
      ...(result.key ? { key: result.key } : {}),
    },
    200,
  );
});
