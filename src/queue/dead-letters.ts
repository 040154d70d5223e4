import { createCtx, type Ctx } from "../context";
import { markNotSent } from "../db/queries/email-outbox";
import { recordDeadLetteredEvent } from "../db/queries/stripe-events";
import { objectIdsOfEvent } from "../integrations/stripe/payload";
import type { Bindings } from "../env";
import { createLogger, errorMessage } from "../lib/logger";
import { clip } from "../lib/text";
import { backoffSeconds } from "./backoff";

interface DeadLetter {
  kind?: string;
  eventId?: string;
  type?: string;
  created?: number;
  livemode?: boolean;
  event?: unknown;
  outboxId?: string;
  requestId?: string;
  deadLetterReason?: string;
}

/**
 * The last stop: every message that could not be applied is written down where support can see it
 * (GET /admin/events?status=failed) and replay it. Only a database outage makes us retry here.
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Bindings): Promise<void> {
  const log = createLogger({ queue: batch.queue });
  let ctx: Ctx | null = null;
  for (const message of batch.messages) {
    const body = (message.body ?? {}) as DeadLetter;
    const reason = clip(`dead-lettered: ${body.deadLetterReason ?? "retries exhausted"}`, 500);
    try {
      // Inside the try: a broken configuration retries each message with backoff instead of failing
      // the whole batch, which the platform would redeliver at once.
      ctx ??= createCtx(env, log);
      const { db } = ctx;
      if (body.kind === "stripe-event" && body.eventId) {
        const event = {
          id: body.eventId,
          type: body.type ?? "unknown",
          created: body.created ?? 0,
          livemode: body.livemode ?? false,
          payload: body.event ?? { id: body.eventId },
          objectIds: body.event ? objectIdsOfEvent(body.event) : [],
        };
        await recordDeadLetteredEvent(db, event, reason);
        log.error("dead letter recorded", { eventId: body.eventId, eventType: body.type });
      } else if (body.kind === "send-email" && body.outboxId) {
        // The nightly reconcile re-sends unsent outbox rows.
        await markNotSent(db, body.outboxId, reason);
        log.error("dead letter recorded", { outboxId: body.outboxId });
      } else if (body.kind === "recover-licenses") {
        // Nothing to keep: the customer asks again (the address stays out of the log).
        log.error("license recovery request dropped", { recoveryRequestId: body.requestId, reason });
      } else {
        log.error("dead letter with no recognisable body: nothing to record", { messageId: message.id });
      }
      message.ack();
    } catch (err) {
      log.error("dead letter not recorded yet, retrying", { messageId: message.id, error: errorMessage(err) });
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}
