import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { getLogtoUser } from "../../middleware/logto-auth";
import { readAccountLicenses, type AccountLicense } from "../../services/account/read-account-licenses";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { LicenseSummary, licenseKeyOut, MachineSchema, presentMachine, summarize } from "../_shared/license-fields";

const AccountLicenseSchema = LicenseSummary.extend({
  key: licenseKeyOut.nullable().describe("the newest key, as activate hands it back"),
  max_machines: z.number().int().describe("seats this license allows (ACTIVATION_LIMIT unless set on the license)"),
  machines: z.array(MachineSchema),
});

export const AccountLicensesResponse = namedSchema(
  "AccountLicensesResponse",
  z.object({ licenses: z.array(AccountLicenseSchema) }),
);
export type AccountLicensesResponse = z.infer<typeof AccountLicensesResponse>;

const listLicensesRoute = createRoute({
  method: "get",
  path: "/account/licenses",
  operationId: "listAccountLicenses",
  tags: ["Account"],
  summary: "The signed-in user's licenses and their machines",
  description:
    "Every license of the token's user (through each of their Stripe customers), newest first; `[]` when none.",
  ...GATES.account.route,
  responses: {
    200: jsonResponse("The licenses.", AccountLicensesResponse),
    ...problemResponses(...GATES.account.errors),
  },
});

function present(l: AccountLicense): z.infer<typeof AccountLicenseSchema> {
  return {
    ...summarize(l, l.status),
    key: l.key,
    max_machines: l.maxMachines,
    machines: l.machines.map(presentMachine),
  };
}

export const listAccountLicenses = createRouter().openapi(listLicensesRoute, async (c) => {
  const found = await readAccountLicenses(c.get("ctx"), { logtoUserId: getLogtoUser(c).sub });
  return c.json({ licenses: found.map(present) }, 200);
});
