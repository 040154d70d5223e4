import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { EVENT_STATUSES } from "../../domain/stripe-event-types";
import { problemResponses } from "../../openapi/problem-responses";
import { fromSec, toIsoSec } from "../../lib/clock";
import { listEvents } from "../../services/admin/event-log";
import { createRouter, isoTime, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";

const EventStatusQuery = z.object({
  status: z.enum(EVENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const AdminEventList = namedSchema(
  "AdminEventList",
  z.object({
    events: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        created: isoTime,
        status: z.enum(EVENT_STATUSES),
        attempts: z.number().int(),
        error_code: z.string().nullable(),
        last_error: z.string().nullable(),
        received_at: isoTime.nullable(),
        processed_at: isoTime.nullable(),
      }),
    ),
  }),
);

const listEventsRoute = createRoute({
  method: "get",
  path: "/admin/events",
  operationId: "listStripeEvents",
  tags: ["Support"],
  summary: "Recorded Stripe events, e.g. `?status=failed`",
  ...GATES.internalKey.route,
  request: { query: EventStatusQuery },
  responses: {
    200: jsonResponse("Newest first.", AdminEventList),
    ...problemResponses("validation_failed", ...GATES.internalKey.errors, "unavailable"),
  },
});

export const listStripeEvents = createRouter().openapi(listEventsRoute, async (c) => {
  const rows = await listEvents(c.get("ctx"), c.req.valid("query"));
  return c.json(
    {
      events: rows.map((e) => ({
        id: e.id,
        type: e.type,
        created: toIsoSec(fromSec(e.createdSec)),
        status: e.status,
        attempts: e.attempts,
        error_code: e.errorCode,
        last_error: e.lastError,
        received_at: toIsoSec(e.receivedAt),
        processed_at: e.processedAt ? toIsoSec(e.processedAt) : null,
      })),
    },
    200,
  );
});
