import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { getLogtoUser } from "../../middleware/logto-auth";
import { freeMachineOfAccount } from "../../services/account/free-machine-of-account";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { machineIdField } from "../_shared/license-fields";

const FreeMachineParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { description: "License id (`lic_...`)" } }),
  machine_id: machineIdField.openapi({ param: { description: "The machine's id, as activate received it" } }),
});

const FreeMachineResponse = namedSchema("FreeMachineResponse", z.object({ deactivated: z.literal(true) }));

const freeMachineRoute = createRoute({
  method: "delete",
  path: "/account/licenses/{id}/machines/{machine_id}",
  operationId: "freeAccountMachine",
  tags: ["Account"],
  summary: "Free a machine's seat from the account (no key needed)",
  description:
    "As `POST /licenses/deactivate`: the seat is free at once, idempotent (a machine without a seat is also `200`), and it " +
    "counts toward `DEACTIVATION_LIMIT` (`429 deactivation_limit_reached` with `Retry-After`). The freed machine's next " +
    "`validate` answers `not_activated`. Another user's license is `404 not_found`, like one that does not exist.",
  ...GATES.account.route,
  request: { params: FreeMachineParams },
  responses: {
    200: jsonResponse("The seat is free.", FreeMachineResponse),
    ...problemResponses(
      "validation_failed",
      ...GATES.account.errors,
      "not_found",
      "deactivation_limit_reached",
      "unavailable",
    ),
  },
});

export const freeAccountMachine = createRouter().openapi(freeMachineRoute, async (c) => {
  const { id, machine_id } = c.req.valid("param");
  await freeMachineOfAccount(c.get("ctx"), { logtoUserId: getLogtoUser(c).sub, licenseId: id, machineId: machine_id });
  return c.json({ deactivated: true as const }, 200);
});
