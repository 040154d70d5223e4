import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { revokeBySupport } from "../../services/admin/support-license-status";
import { createRouter, jsonBody, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { actingAs } from "../_shared/acting";
import { AdminLicenseResponse, licenseIdParams, licenseView } from "../_shared/admin-license-view";

const RevokeBody = namedSchema("RevokeRequest", z.object({ reason: z.string().trim().min(1).max(500) }));

const revokeLicenseRoute = createRoute({
  method: "post",
  path: "/admin/licenses/{id}/revoke",
  operationId: "revokeLicense",
  tags: ["Support"],
  summary: "Revoke a license (every key of it)",
  ...GATES.internalKeyJson.route,
  request: { params: licenseIdParams, body: jsonBody(RevokeBody) },
  responses: {
    200: jsonResponse("The license after the change.", AdminLicenseResponse),
    ...problemResponses(...GATES.internalKeyJson.errors, "not_found", "unavailable"),
  },
});

export const revokeLicense = createRouter().openapi(revokeLicenseRoute, async (c) => {
  const { id } = c.req.valid("param");
  const { reason } = c.req.valid("json");
  const overview = await revokeBySupport(c.get("ctx"), { id, reason, by: actingAs(c, reason) });
  return c.json({ license: licenseView(overview) }, 200);
});
