import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { limitByClientIp } from "../../middleware/rate-limit";
import { checkLicense } from "../../services/licenses/check-license";
import { createRouter, JSON_BODY_ERRORS, jsonBody, jsonResponse, limitJsonBody, SECURITY } from "../_shared/declare";
import {
  LicenseSummary,
  licenseKeyField,
  licenseKeyOut,
  machineIdField,
  presentLicense,
} from "../_shared/license-fields";

const ValidateBody = namedSchema(
  "ValidateRequest",
  z.object({ key: licenseKeyField, machine_id: machineIdField.optional() }),
);

const ValidateResponse = namedSchema(
  "ValidateResponse",
  z.object({
    valid: z.boolean(),
    code: z.enum(["valid", "revoked", "suspended", "expired", "invalid", "not_activated", "machine_limit"]),
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
  description: "Always `200` for a well-formed request: the answer is in `valid` and `code`.",
  security: SECURITY.none,
  middleware: [limitJsonBody, limitByClientIp] as const,
  request: { body: jsonBody(ValidateBody) },
  responses: {
    200: jsonResponse("The verdict.", ValidateResponse),
    ...problemResponses(...JSON_BODY_ERRORS, "rate_limited", "unavailable"),
  },
});

export const validateLicense = createRouter().openapi(validateRoute, async (c) => {
  const body = c.req.valid("json");
  const result = await checkLicense(c.get("ctx"), { key: body.key, machineId: body.machine_id });
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
