// The real queue consumer run on a batch the test builds, as the Queues runtime would hand it over.
import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import worker from "../../src/index";
import type { event } from "./fakes/stripe-events";

/** The message the webhook enqueues for a Stripe event, on its `attempts`-th delivery. */
export function stripeEventMessage(e: ReturnType<typeof event>, attempts = 1) {
  return {
    id: `msg-${crypto.randomUUID()}`,
    timestamp: new Date(),
    attempts,
    body: { kind: "stripe-event", eventId: e.id, type: e.type, created: e.created, livemode: e.livemode, event: e },
  };
}

/** A message as the runtime hands it to the consumer; its body may be anything a queue could carry. */
type QueueMessage = { id: string; timestamp: Date; attempts: number; body: unknown };

/** Runs the real queue handler on a batch, with the bindings given (e.g. a database that is down). */
export async function consume(queue: string, messages: QueueMessage[], bindings: Cloudflare.Env = env) {
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, bindings, ctx);
  return getQueueResult(batch, ctx);
}
