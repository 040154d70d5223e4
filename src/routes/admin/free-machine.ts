import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { freeMachineBySupport } from "../../services/admin/free-machine-by-support";
import { actingAs, OptionalReasonBody, optionalJsonBody } from "../_shared/acting";
import { AdminLicenseResponse, licenseView } from "../_shared/admin-license-view";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";

export const freeMachineRoute = createRoute({
  method: "post",
  path: "/admin/licenses/{id}/machines/{machine_id}/free",
  operationId: "freeLicenseMachine",
  tags: ["Support"],
  summary: "Free one machine's seat",
  description: "Support's decision: it does not count against the license's `DEACTIVATION_LIMIT`.",
  ...GATES.internalKeyJson.route,
  request: {
    params: z.object({
      id: z.string().openapi({ param: { description: "License id (`lic_...`)" } }),
      machine_id: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { description: "The seat's machine id" } }),
    }),
    body: optionalJsonBody(OptionalReasonBody),
  },
  responses: {
    200: jsonResponse("The license after the change.", AdminLicenseResponse),
    ...problemResponses(...GATES.internalKeyJson.errors, "not_found", "unavailable"),
  },
});

export const freeLicenseMachine = createRouter().openapi(freeMachineRoute, async (c) => {
  const { id, machine_id } = c.req.valid("param");
  const by = actingAs(c, c.req.valid("json").reason);
  const overview = await freeMachineBySupport(c.get("ctx"), { id, machineId: machine_id, by });
  return c.json({ license: licenseView(overview) }, 200);
});
