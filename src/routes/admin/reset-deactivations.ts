import { createRoute } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { resetDeactivationsBySupport } from "../../services/admin/support-license-status";
import { actingAs, OptionalReasonBody, optionalJsonBody } from "../_shared/acting";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { AdminLicenseResponse, licenseIdParams, licenseView } from "../_shared/admin-license-view";

const resetDeactivationsRoute = createRoute({
  method: "post",
  path: "/admin/licenses/{id}/reset-deactivations",
  operationId: "resetLicenseDeactivations",
  tags: ["Support"],
  summary: "Lift the deactivation limit of a license",
  description: "Deactivations made before now no longer count against `DEACTIVATION_LIMIT`.",
  ...GATES.internalKeyJson.route,
  request: { params: licenseIdParams, body: optionalJsonBody(OptionalReasonBody) },
  responses: {
    200: jsonResponse("The license after the change.", AdminLicenseResponse),
    ...problemResponses(...GATES.internalKeyJson.errors, "not_found", "unavailable"),
  },
});

export const resetLicenseDeactivations = createRouter().openapi(resetDeactivationsRoute, async (c) => {
  const overview = await resetDeactivationsBySupport(c.get("ctx"), {
    ...c.req.valid("param"),
    by: actingAs(c, c.req.valid("json").reason),
  });
  return c.json({ license: licenseView(overview) }, 200);
});
