import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { toIsoSec } from "../../lib/clock";
import { activateMachine } from "../../services/licenses/activate-machine";
import { createRouter, isoTime, jsonBody, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { LicenseSummary, licenseKeyOut, presentLicense, SeatFields } from "../_shared/license-fields";
import { SeatProofHeaders, seatProofOf } from "../_shared/seat-proof-header";

const optionalText = (max: number) => z.string().max(max).nullish();

export const ActivateBody = namedSchema(
  "ActivateRequest",
  z.object({
    ...SeatFields,
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
    lease: z
      .string()
      .describe("EdDSA JWT: `sub` license id, `machine`, `aud` product, `exp`; a bound seat's adds `cnf.jkt`"),
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
  description:
    "Idempotent per seat. At most `ACTIVATION_LIMIT` (default 3) seats per license. With a `DPoP` proof the seat is " +
    "bound to the install's key (the same `machine_id` with another key is another seat) and the lease carries " +
    "`cnf.jkt`; a bad proof, or none under `SEAT_PROOF=required`, is `401 invalid_proof`.",
  ...GATES.publicJson.route,
  request: { headers: SeatProofHeaders, body: jsonBody(ActivateBody) },
  responses: {
    200: jsonResponse("Activated (or already active on this machine).", ActivateResponse),
    ...problemResponses(
      ...GATES.publicJson.errors,
      "invalid_license",
      "invalid_proof",
      "license_revoked",
      "license_suspended",
      "license_expired",
      "activation_limit_reached",
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
    proof: seatProofOf(c),
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
