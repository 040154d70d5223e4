import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { requireInternalKey } from "../../middleware/internal-auth";
import { findLicensesByEmail } from "../../services/admin/find-licenses";
import { AUTH_ERRORS, createRouter, jsonResponse, SECURITY } from "../_shared/declare";
import { AdminLicense, licenseView } from "../_shared/admin-license-view";

const LicenseEmailQuery = z.object({ email: z.string().trim().email().max(320) });

const AdminLicenseList = namedSchema("AdminLicenseList", z.object({ licenses: z.array(AdminLicense) }));

const findLicensesRoute = createRoute({
  method: "get",
  path: "/admin/licenses",
  operationId: "findLicenses",
  tags: ["Support"],
  summary: "A buyer's licenses by email (case-insensitive)",
  security: SECURITY.internalApiKey,
  middleware: [requireInternalKey] as const,
  request: { query: LicenseEmailQuery },
  responses: {
    200: jsonResponse("Up to 100 licenses, newest first.", AdminLicenseList),
    ...problemResponses("validation_failed", ...AUTH_ERRORS.internalApiKey, "unavailable"),
  },
});

export const findLicenses = createRouter().openapi(findLicensesRoute, async (c) => {
  const found = await findLicensesByEmail(c.get("ctx"), c.req.valid("query"));
  return c.json({ licenses: found.map(licenseView) }, 200);
});
