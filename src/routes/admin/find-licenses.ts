import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { findLicensesByEmail } from "../../services/admin/find-licenses";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { AdminLicense, licenseView } from "../_shared/admin-license-view";

const LicenseEmailQuery = z.object({ email: z.string().trim().email().max(320) });

const AdminLicenseList = namedSchema("AdminLicenseList", z.object({ licenses: z.array(AdminLicense) }));

const findLicensesRoute = createRoute({
  method: "get",
  path: "/admin/licenses",
  operationId: "findLicenses",
  tags: ["Support"],
  summary: "A buyer's licenses by email (case-insensitive)",
  ...GATES.internalKey.route,
  request: { query: LicenseEmailQuery },
  responses: {
    200: jsonResponse("Up to 100 licenses, newest first.", AdminLicenseList),
    ...problemResponses("validation_failed", ...GATES.internalKey.errors, "unavailable"),
  },
});

export const findLicenses = createRouter().openapi(findLicensesRoute, async (c) => {
  const found = await findLicensesByEmail(c.get("ctx"), c.req.valid("query"));
  return c.json({ licenses: found.map(licenseView) }, 200);
});
