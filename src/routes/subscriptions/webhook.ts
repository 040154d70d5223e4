import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { HANDLED_EVENT_TYPES } from "../../domain/stripe-event-types";
import { problemResponses } from "../../openapi/problem-responses";
import { acceptStripeEvent } from "../../services/webhooks/accept-stripe-event";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";

/** Stripe's event object: verified by its signature, not by a schema, so the document does not restate it. */
const StripeEvent = namedSchema(
  "StripeEvent",
  z
    .looseObject({
      id: z.string(),
      type: z.string(),
      created: z.number().int(),
      livemode: z.boolean(),
      data: z.looseObject({ object: z.looseObject({}) }),
    })
    .describe("A Stripe `Event` (API version 2026-10-28.endive), exactly as Stripe signed it."),
);

const WebhookAck = namedSchema(
  "WebhookAck",
  z.object({ received: z.literal(true), ignored: z.enum(["livemode_mismatch", "unhandled_type"]).optional() }),
);

const stripeWebhookRoute = createRoute({
  method: "post",
  path: "/subscriptions/webhook",
  operationId: "receiveStripeEvent",
  tags: ["Stripe"],
  summary: "Stripe webhook endpoint",
  description:
    "Verifies the `Stripe-Signature` of the raw body against every `STRIPE_WEBHOOK_SECRET` (300 s tolerance), " +
    "enqueues the event and answers; the queue consumer applies it. Redeliveries are harmless. " +
    `Handled types: ${HANDLED_EVENT_TYPES.map((t) => `\`${t}\``).join(", ")}; other verified types are acknowledged and ignored. ` +
    "The endpoint's API version must be `2026-10-28.endive`.",
  ...GATES.stripeSignature.route,
  // Documented, not validated: the signature covers the exact bytes, read raw by the handler.
  request: {
    body: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/StripeEvent" } } } },
  },
  responses: {
    200: jsonResponse("Verified and durable (or ignored).", WebhookAck),
    ...problemResponses(...GATES.stripeSignature.errors, "unavailable"),
  },
});

export const receiveStripeEvent = createRouter().openapi(stripeWebhookRoute, async (c) => {
  // The raw text, never re-serialized JSON: the signature covers the exact bytes.
  const received = await acceptStripeEvent(c.get("ctx"), {
    rawBody: await c.req.text(),
    signature: c.req.header("Stripe-Signature"),
  });
  const { ignored, ...fields } = received;
  c.set("logFields", ignored === "unhandled_type" ? { ...fields, ignored } : fields);
  return c.json(ignored ? { received: true as const, ignored } : { received: true as const }, 200);
});

export { StripeEvent };
