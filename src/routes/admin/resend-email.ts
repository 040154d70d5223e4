import { createRoute } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { sendLicenseEmailAgain } from "../../services/admin/resend-license-email";
import { actingAs, OptionalReasonBody, optionalJsonBody } from "../_shared/acting";
import { AdminLicenseResponse, licenseIdParams, licenseView } from "../_shared/admin-license-view";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";

export const resendEmailRoute = createRoute({
  method: "post",
  path: "/admin/licenses/{id}/resend-email",
  operationId: "resendLicenseEmail",
  tags: ["Support"],
  summary: "Send the license email again (newest key, to the license's address)",
  ...GATES.internalKeyJson.route,
  request: { params: licenseIdParams, body: optionalJsonBody(OptionalReasonBody) },
  responses: {
    202: jsonResponse("Queued for sending.", AdminLicenseResponse),
    ...problemResponses(...GATES.internalKeyJson.errors, "not_found", "conflict", "unavailable"),
  },
});

export const resendLicenseEmail = createRouter().openapi(resendEmailRoute, async (c) => {
  const by = actingAs(c, c.req.valid("json").reason);
  const overview = await sendLicenseEmailAgain(c.get("ctx"), { ...c.req.valid("param"), by });
  return c.json({ license: licenseView(overview) }, 202);
});
