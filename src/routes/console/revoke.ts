import { createRoute } from "@hono/zod-openapi";
import { revokeBySupport } from "../../services/admin/support-license-status";
import { consoleActor, createConsoleRouter, formReason } from "../_shared/console/console-router";
import { backToLicense, LICENSE_ACTION } from "../_shared/console/form-action";

const revokeRoute = createRoute({
  ...LICENSE_ACTION,
  path: "/console/licenses/{id}/revoke",
  operationId: "consoleRevoke",
});

export const consoleRevoke = createConsoleRouter().openapi(revokeRoute, async (c) => {
  const { id } = c.req.valid("param");
  const reason = await formReason(c);
  await revokeBySupport(c.get("ctx"), { id, reason, by: consoleActor(c, reason) });
  return backToLicense(c, id);
});
