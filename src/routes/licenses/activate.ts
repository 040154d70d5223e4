import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { toIsoSec } from "../../lib/clock";
import { limitByClientIp } from "../../middleware/rate-limit";
import { activateMachine } from "../../services/licenses/activate-machine";
import {
  createRouter,
  isoTime,
  JSON_BODY_ERRORS,
  jsonBody,
  jsonResponse,
  limitJsonBody,
  SECURITY,
} from "../_shared/declare";
import {
  LicenseSummary,
  licenseKeyField,
  licenseKeyOut,
  machineIdField,
  presentLicense,
} from "../_shared/license-fields";

const optionalText = (max: number) => z.string().max(max).nullish();

export const ActivateBody = namedSchema(
  "ActivateRequest",
  z.object({
    key: licenseKeyField,
    machine_id: machineIdField,
    machine_name: optionalText(200),
    platform: optionalText(64),
    app_version: optionalText(64),
  }),
);

export const ActivateResponse = namedSchema(
  "ActivateResponse",
  z.object({
    license: LicenseSummary,
    activation: z.object({ machine_id: z.string(), activated_at: isoTime }),
    lease: z.string().describe("EdDSA JWT: `sub` license id, `machine`, `aud` product, `exp`"),
    key: licenseKeyOut.describe("the newest key of this license"),
  }),
);
export type ActivateResponse = z.infer<typeof ActivateResponse>;

const activateRoute = createRoute({
  method: "post",
  path: "/licenses/activate",
  operationId: "activateLicense",
  tags: ["Licenses"],
  summary: "Activate a machine; returns a lease for offline use",
  description: "Idempotent per machine. At most `ACTIVATION_LIMIT` (default 3) machines per license.",
  security: SECURITY.none,
  middleware: [limitJsonBody, limitByClientIp] as const,
  request: { body: jsonBody(ActivateBody) },
  responses: {
    200: jsonResponse("Activated (or already active on this machine).", ActivateResponse),
    ...problemResponses(
      ...JSON_BODY_ERRORS,
      "invalid_license",
      "license_revoked",
      "license_suspended",
      "license_expired",
      "activation_limit_reached",
      "rate_limited",
      "unavailable",
    ),
  },
});

export const activateLicense = createRouter().openapi(activateRoute, async (c) => {
  const body = c.req.valid("json");
  const result = await activateMachine(c.get("ctx"), {
    key: body.key,
    machineId: body.machine_id,
    machineName: body.machine_name,
    platform: body.platform,
    appVersion: body.app_version,
  });
  return c.json(
    {
      license: presentLicense(result.license),
      activation: { machine_id: result.activation.machineId, activated_at: toIsoSec(result.activation.activatedAt) },
      lease: result.lease,
      key: result.key,
    },
    200,
  );
});
