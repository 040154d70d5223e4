import type Stripe from "stripe";
import { MAX_INLINE_EVENT_BYTES, type QueueMessage } from "./messages";

export async function enqueueStripeEvent(queue: Queue, event: Stripe.Event, rawBytes: number): Promise<void> {
  const message: QueueMessage = {
    kind: "stripe-event",
    eventId: event.id,
    type: event.type,
    created: event.created,
    livemode: event.livemode,
    // Too large for a message: the consumer re-reads it from Stripe by id.
    ...(rawBytes <= MAX_INLINE_EVENT_BYTES ? { event: event as unknown as Record<string, unknown> } : {}),
  };
  await queue.send(message, { contentType: "json" });
}

export async function enqueueEmail(queue: Queue, outboxId: string, delaySeconds = 0): Promise<void> {
  const message: QueueMessage = { kind: "send-email", outboxId };
  await queue.send(message, { contentType: "json", delaySeconds });
}
