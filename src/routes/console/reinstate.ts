import { createRoute } from "@hono/zod-openapi";
import { reinstateBySupport } from "../../services/admin/support-license-status";
import { consoleActor, createConsoleRouter, formReason } from "../_shared/console/console-router";
import { backToLicense, LICENSE_ACTION } from "../_shared/console/form-action";

const reinstateRoute = createRoute({
  ...LICENSE_ACTION,
  path: "/console/licenses/{id}/reinstate",
  operationId: "consoleReinstate",
});

/** Back to active from revoked or suspended (409 for an expired license, as in /admin). */
export const consoleReinstate = createConsoleRouter().openapi(reinstateRoute, async (c) => {
  const { id } = c.req.valid("param");
  const reason = await formReason(c);
  await reinstateBySupport(c.get("ctx"), { id, by: consoleActor(c, reason) });
  return backToLicense(c, id);
});
