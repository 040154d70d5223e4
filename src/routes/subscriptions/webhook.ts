import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { AppError } from "../../errors";
import { errorMessage } from "../../lib/logger";
import { enqueueStripeEvent } from "../../queue/producer";
import { HANDLED_EVENT_TYPES } from "../../stripe/handlers";
import { verifyStripeEvent } from "../../stripe/verify-webhook";

/**
 * Stripe → us. Verify, make durable on the queue, answer 200. No database work here: an outage
 * must not lose events, and Stripe wants a fast answer. Effects happen in the queue consumer.
 */
export const stripeWebhook = new Hono<AppEnv>().post("/subscriptions/webhook", async (c) => {
  const { config, log } = c.get("services");
  // The raw text, never re-serialized JSON: the signature covers the exact bytes.
  const raw = await c.req.text();
  const event = await verifyStripeEvent(raw, c.req.header("Stripe-Signature"), config.stripeWebhookSecrets, log);
  const fields = { eventId: event.id, eventType: event.type };
  c.set("logFields", fields);

  if (event.livemode !== config.stripeLivemode) {
    log.warn("webhook ignored: livemode mismatch", { ...fields, livemode: event.livemode });
    return c.json({ received: true, ignored: "livemode_mismatch" });
  }
  if (!HANDLED_EVENT_TYPES.has(event.type)) {
    c.set("logFields", { ...fields, ignored: "unhandled_type" });
    return c.json({ received: true, ignored: "unhandled_type" });
  }
  try {
    // The queue's limit is in bytes: `raw.length` counts UTF-16 units, half or a third of non-ASCII text.
    await enqueueStripeEvent(c.env.EVENTS_QUEUE, event, new TextEncoder().encode(raw).byteLength);
  } catch (err) {
    log.error("webhook: could not enqueue", { ...fields, error: errorMessage(err) });
    throw new AppError("unavailable", "The event could not be stored; Stripe will retry.", { headers: { "Retry-After": "10" } });
  }
  return c.json({ received: true });
});
