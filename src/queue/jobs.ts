import type Stripe from "stripe";
import { MAX_INLINE_EVENT_BYTES, type QueueMessage } from "./messages";

/** Work handed to the queue consumer. Services reach it as `ctx.jobs`. */
export interface Jobs {
  enqueueStripeEvent(event: Stripe.Event, rawBytes: number): Promise<void>;
  enqueueEmail(outboxId: string, delaySeconds?: number): Promise<void>;
  enqueueLicenseRecovery(input: { requestId: string; address: string }): Promise<void>;
  /** A recovery email's send: in the recovery lane with the request that wrote it. */
  enqueueRecoveryEmail(outboxId: string): Promise<void>;
}

/** `recovery`: the unauthenticated recovery jobs' own queue, so a flood of them never delays Stripe's events. */
export function createJobs(queue: Queue, recovery: Queue): Jobs {
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
      await recovery.send(message, { contentType: "json" });
    },
    async enqueueRecoveryEmail(outboxId) {
      const message: QueueMessage = { kind: "send-email", outboxId };
      await recovery.send(message, { contentType: "json" });
    },
  };
}
