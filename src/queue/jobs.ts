import type Stripe from "stripe";
import { MAX_INLINE_EVENT_BYTES, type QueueMessage } from "./messages";

/** Work handed to the queue consumer. Services reach it as `ctx.jobs`. */
export interface Jobs {
  enqueueStripeEvent(event: Stripe.Event, rawBytes: number): Promise<void>;
  enqueueEmail(outboxId: string, delaySeconds?: number): Promise<void>;
  enqueueLicenseRecovery(input: { requestId: string; address: string }): Promise<void>;
}

export function createJobs(queue: Queue): Jobs {
  return {
    async enqueueStripeEvent(event, rawBytes) {
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
    },
    async enqueueEmail(outboxId, delaySeconds = 0) {
      const message: QueueMessage = { kind: "send-email", outboxId };
      await queue.send(message, { contentType: "json", delaySeconds });
    },
    async enqueueLicenseRecovery(input) {
      const message: QueueMessage = { kind: "recover-licenses", ...input };
      await queue.send(message, { contentType: "json" });
    },
  };
}
