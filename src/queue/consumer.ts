import type Stripe from "stripe";
import { ConfigError } from "../config";
import { createCtx, type Ctx } from "../context";
import { isDatabaseUnavailable } from "../db/errors";
import type { Bindings } from "../env";
import { createLogger, errorMessage } from "../lib/logger";
import { clip } from "../lib/text";
import { EmailDeferredError, sendOutboxEmail } from "../services/email/send-outbox-email";
import { isRetryableStripeError } from "../stripe/api-errors";
import { EventBusyError, PermanentEventError } from "../stripe/event-errors";
import { claimEvent, failEvent, finishEvent, releaseEvent } from "../stripe/event-log";
import { applyStripeEvent } from "../stripe/handlers";
import { QueueMessage, type StripeEventMessage } from "./messages";
import { enqueueEmail } from "./producer";

/** Unexpected errors (bugs, bad data) get this many tries before the message goes to the dead-letter queue. */
export const MAX_UNEXPECTED_ATTEMPTS = 3;

/** 1 s, 2 s, 4 s … capped at 10 min: with max_retries = 100 an outage of ~16 h loses nothing. */
export const backoffSeconds = (attempts: number) => Math.min(2 ** Math.max(0, attempts - 1), 600);

/**
 * Worth retrying as is: the database, Stripe or the email provider is down, slow or busy; or the
 * deployment's configuration is broken (an operator fixes it; the events must wait, not die).
 */
export function isTransient(err: unknown): boolean {
  return (
    err instanceof ConfigError ||
    isDatabaseUnavailable(err) ||
    isRetryableStripeError(err) ||
    err instanceof EmailDeferredError ||
    err instanceof EventBusyError
  );
}

/**
 * Each message is acked or retried on its own, so one poison message never holds back the rest
 * of its batch; nothing is caught and acked without being applied or recorded.
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
    const fields = body.kind === "stripe-event" ? { eventId: body.eventId, eventType: body.type } : { outboxId: body.outboxId };
    try {
      ctx ??= createCtx(env, base);
      const outcome = await processMessage({ ...ctx, log: log.child(fields) }, body);
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

async function processMessage(ctx: Ctx, message: QueueMessage): Promise<string> {
  if (message.kind === "send-email") return sendOutboxEmail(ctx, message.outboxId);
  return processStripeEvent(ctx, message);
}

async function processStripeEvent(ctx: Ctx, message: StripeEventMessage): Promise<string> {
  const event = (message.event ?? (await ctx.stripe.events.retrieve(message.eventId))) as unknown as Stripe.Event;
  const claim = await claimEvent(ctx, event);
  if (claim === "done") return "duplicate";
  if (claim === "busy") throw new EventBusyError(event.id);
  try {
    const result = await applyStripeEvent(ctx, event);
    for (const outboxId of result.emails ?? []) await enqueueEmail(ctx.queue, outboxId);
    await finishEvent(ctx, event.id, result.outcome, result.note);
    return result.outcome;
  } catch (err) {
    if (err instanceof PermanentEventError) {
      await failEvent(ctx, event.id, err.code, err.message);
      ctx.log.error("stripe event failed", { code: err.code, error: err.message });
      return `failed:${err.code}`;
    }
    await releaseEvent(ctx, event.id, errorMessage(err)).catch(() => undefined);
    throw err;
  }
}

