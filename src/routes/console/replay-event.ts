import { createRoute, z } from "@hono/zod-openapi";
import { replayEvent } from "../../services/admin/event-log";
import { consoleActor, createConsoleRouter, formReason } from "../_shared/console/console-router";
import { auditTrailOf } from "../_shared/console/console-urls";
import { CONSOLE_FORM } from "../_shared/console/form-action";

const replayEventRoute = createRoute({
  ...CONSOLE_FORM,
  path: "/console/events/{id}/replay",
  operationId: "consoleReplayEvent",
  request: { params: z.object({ id: z.string().max(255) }) },
  responses: { 303: { description: "To the event's audit trail, where the replay is the newest entry" } },
});

/** POST /admin/events/{id}/replay from the Attention page's form, with its required reason. */
export const consoleReplayEvent = createConsoleRouter().openapi(replayEventRoute, async (c) => {
  const { id } = c.req.valid("param");
  const reason = await formReason(c);
  await replayEvent(c.get("ctx"), { eventId: id, by: consoleActor(c, reason) });
  return c.redirect(auditTrailOf(id), 303);
});
