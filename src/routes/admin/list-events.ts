import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { EVENT_STATUSES } from "../../domain/stripe-event-types";
import { problemResponses } from "../../openapi/problem-responses";
import { fromSec, toIsoSec } from "../../lib/clock";
import { requireInternalKey } from "../../middleware/internal-auth";
import { listEvents } from "../../services/admin/event-log";
import { AUTH_ERRORS, createRouter, isoTime, jsonResponse, SECURITY } from "../_shared/declare";

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
  security: SECURITY.internalApiKey,
  middleware: [requireInternalKey] as const,
  request: { query: EventStatusQuery },
  responses: {
    200: jsonResponse("Newest first.", AdminEventList),
    ...problemResponses("validation_failed", ...AUTH_ERRORS.internalApiKey, "unavailable"),
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
