import { createRoute, z } from "@hono/zod-openapi";
import { freeMachineBySupport } from "../../services/admin/free-machine-by-support";
import { consoleActor, createConsoleRouter, formReason } from "../_shared/console/console-router";
import { backToLicense, LICENSE_ACTION } from "../_shared/console/form-action";

const freeMachineRoute = createRoute({
  ...LICENSE_ACTION,
  path: "/console/licenses/{id}/machines/{machine_id}/free",
  operationId: "consoleFreeMachine",
  request: { params: z.object({ id: z.string().max(200), machine_id: z.string().min(1).max(200) }) },
});

/** Frees one seat outside the buyer's deactivation limit: a person decided, the audit row says who and why. */
export const consoleFreeMachine = createConsoleRouter().openapi(freeMachineRoute, async (c) => {
  const { id, machine_id } = c.req.valid("param");
  const reason = await formReason(c);
  await freeMachineBySupport(c.get("ctx"), { id, machineId: machine_id, by: consoleActor(c, reason) });
  return backToLicense(c, id);
});
