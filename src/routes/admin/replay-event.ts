import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { replayEvent } from "../../services/admin/event-log";
import { actingAs, OptionalReasonBody, optionalJsonBody } from "../_shared/acting";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";

const ReplayResponse = namedSchema(
  "ReplayResponse",
  z.object({ replayed: z.literal(true), event_id: z.string(), type: z.string() }),
);

const replayEventRoute = createRoute({
  method: "post",
  path: "/admin/events/{id}/replay",
  operationId: "replayStripeEvent",
  tags: ["Support"],
  summary: "Put a recorded event back on the queue",
  ...GATES.internalKeyJson.route,
  request: {
    params: z.object({ id: z.string().openapi({ param: { description: "Stripe event id (`evt_...`)" } }) }),
    body: optionalJsonBody(OptionalReasonBody),
  },
  responses: {
    202: jsonResponse("Enqueued.", ReplayResponse),
    ...problemResponses(...GATES.internalKeyJson.errors, "not_found", "unavailable"),
  },
});

export const replayStripeEvent = createRouter().openapi(replayEventRoute, async (c) => {
  const replayed = await replayEvent(c.get("ctx"), {
    eventId: c.req.valid("param").id,
    by: actingAs(c, c.req.valid("json").reason),
  });
  return c.json({ replayed: true as const, event_id: replayed.eventId, type: replayed.type }, 202);
});
