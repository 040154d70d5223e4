import { createRoute } from "@hono/zod-openapi";
import { resetDeactivationsBySupport } from "../../services/admin/support-license-status";
import { consoleActor, createConsoleRouter, formReason } from "../_shared/console/console-router";
import { backToLicense, LICENSE_ACTION } from "../_shared/console/form-action";

const resetDeactivationsRoute = createRoute({
  ...LICENSE_ACTION,
  path: "/console/licenses/{id}/reset-deactivations",
  operationId: "consoleResetDeactivations",
});

export const consoleResetDeactivations = createConsoleRouter().openapi(resetDeactivationsRoute, async (c) => {
  const { id } = c.req.valid("param");
  const reason = await formReason(c);
  await resetDeactivationsBySupport(c.get("ctx"), { id, by: consoleActor(c, reason) });
  return backToLicense(c, id);
});
