import { createRoute } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { reinstateBySupport } from "../../services/admin/support-license-status";
import { actingAs, OptionalReasonBody, optionalJsonBody } from "../_shared/acting";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { AdminLicenseResponse, licenseIdParams, licenseView } from "../_shared/admin-license-view";

const reinstateLicenseRoute = createRoute({
  method: "post",
  path: "/admin/licenses/{id}/reinstate",
  operationId: "reinstateLicense",
  tags: ["Support"],
  summary: "Reinstate a revoked or suspended license",
  description: "An expired license cannot be reinstated (`409 conflict`): issue a new one.",
  ...GATES.internalKeyJson.route,
  request: { params: licenseIdParams, body: optionalJsonBody(OptionalReasonBody) },
  responses: {
    200: jsonResponse("The license after the change.", AdminLicenseResponse),
    ...problemResponses(...GATES.internalKeyJson.errors, "not_found", "conflict", "unavailable"),
  },
});

export const reinstateLicense = createRouter().openapi(reinstateLicenseRoute, async (c) => {
  const overview = await reinstateBySupport(c.get("ctx"), {
    ...c.req.valid("param"),
    by: actingAs(c, c.req.valid("json").reason),
  });
  return c.json({ license: licenseView(overview) }, 200);
});
