import { processStripeEvent } from "../billing/process-event";
import { createCtx, type Ctx } from "../context";
import type { Bindings } from "../env";
import { isTransient } from "../errors";
import { createLogger, errorMessage } from "../lib/logger";
import { clip } from "../lib/text";
import { sendLicenseRecovery } from "../services/recovery/send-license-recovery";
import { sendOutboxEmail } from "../services/email/send-outbox-email";
import { QueueMessage } from "./messages";

// What a message's log lines carry: never the address of a recovery request (only its id).
function logFields(body: QueueMessage): Record<string, string> {
  if (body.kind === "stripe-event") return { eventId: body.eventId, eventType: body.type };
  if (body.kind === "send-email") return { outboxId: body.outboxId };
  return { recoveryRequestId: body.requestId };
}

function apply(ctx: Ctx, body: QueueMessage): Promise<string> {
  if (body.kind === "send-email") return sendOutboxEmail(ctx, body);
  if (body.kind === "recover-licenses") return sendLicenseRecovery(ctx, body);
  return processStripeEvent(ctx, body);
}

/** Unexpected errors (bugs, bad data) get this many tries before the message goes to the dead-letter queue. */
export const MAX_UNEXPECTED_ATTEMPTS = 3;

/** 1 s, 2 s, 4 s … capped at 10 min: with max_retries = 100 an outage of ~16 h loses nothing. */
export const backoffSeconds = (attempts: number) => Math.min(2 ** Math.max(0, attempts - 1), 600);

/**
 * Each message is acked or retried on its own, so one poison message never holds back the rest
 * of its batch; nothing is caught and acked without being applied or recorded. Whether a failure
 * is worth retrying is errors.ts's one mapping (`isTransient`).
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Bindings, deadLetters: Queue): Promise<void> {
  const base = createLogger({ queue: batch.queue });
  let ctx: Ctx | null = null;
  for (const message of batch.messages) {
    const started = Date.now();
    const log = base.child({ messageId: message.id, attempts: message.attempts });
    const parsed = QueueMessage.safeParse(message.body);
    if (!parsed.success) {
      log.error("queue: malformed message, dead-lettered");
      await deadLetters.send({ body: message.body, deadLetterReason: "malformed message" }, { contentType: "json" });
      message.ack();
      continue;
    }
    const body = parsed.data;
    const fields = logFields(body);
    try {
      ctx ??= createCtx(env, base);
      const messageCtx = { ...ctx, log: log.child(fields) };
      const outcome = await apply(messageCtx, body);
      message.ack();
      log.info("queue: message applied", { ...fields, outcome, durationMs: Date.now() - started });
    } catch (err) {
      const transient = isTransient(err);
      const reason = errorMessage(err);
      if (!transient && message.attempts >= MAX_UNEXPECTED_ATTEMPTS) {
        log.error("queue: giving up, dead-lettered", { ...fields, error: reason });
        await deadLetters.send({ ...body, deadLetterReason: clip(reason, 500) }, { contentType: "json" });
        message.ack();
      } else {
        const delaySeconds = backoffSeconds(message.attempts);
        log[transient ? "warn" : "error"]("queue: retrying", { ...fields, error: reason, transient, delaySeconds });
        message.retry({ delaySeconds });
      }
    }
  }
}
