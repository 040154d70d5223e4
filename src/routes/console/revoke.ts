import { createRoute, z } from "@hono/zod-openapi";
import { requireAccess, requireOwnOrigin } from "../../middleware/access-auth";
import { revokeBySupport } from "../../services/admin/support-license-status";
import { consoleActor, createConsoleRouter, formReason } from "../_shared/console/console-router";
import { limitJsonBody } from "../_shared/declare";

const revokeRoute = createRoute({
  method: "post",
  path: "/console/licenses/{id}/revoke",
  operationId: "consoleRevoke",
  hide: true,
  middleware: [limitJsonBody, requireAccess, requireOwnOrigin] as const,
  request: { params: z.object({ id: z.string() }) },
  responses: { 303: { description: "Back to the license page" } },
});

export const consoleRevoke = createConsoleRouter().openapi(revokeRoute, async (c) => {
  const { id } = c.req.valid("param");
  const reason = await formReason(c);
  await revokeBySupport(c.get("ctx"), { id, reason, by: consoleActor(c, reason) });
  return c.redirect(`/console/licenses/${encodeURIComponent(id)}`, 303);
});
