import type Stripe from "stripe";
import { processStripeEvents, type EventFate } from "../services/stripe-events/process-events";
import { createCtx, type Ctx } from "../context";
import type { Bindings } from "../env";
import { isTransient } from "../errors";
import { createLogger, errorMessage, type Logger } from "../lib/logger";
import { clip } from "../lib/text";
import { sendOutboxEmail } from "../services/email/send-outbox-email";
import { sendLicenseRecovery } from "../services/recovery/send-license-recovery";
import { backoffSeconds } from "./backoff";
import { QueueMessage, type StripeEventMessage } from "./messages";

type JobMessage = Exclude<QueueMessage, StripeEventMessage>;

// What a message's log lines carry: never the address of a recovery request (only its id).
function logFields(body: QueueMessage): Record<string, string> {
  if (body.kind === "stripe-event") return { eventId: body.eventId, eventType: body.type };
  if (body.kind === "send-email") return { outboxId: body.outboxId };
  return { recoveryRequestId: body.requestId };
}

function runJob(ctx: Ctx, body: JobMessage): Promise<string> {
  return body.kind === "send-email" ? sendOutboxEmail(ctx, body) : sendLicenseRecovery(ctx, body);
}

/** Unexpected errors (bugs, bad data) get this many tries before the message goes to the dead-letter queue. */
const MAX_UNEXPECTED_ATTEMPTS = 3;

type Parsed<B> = { message: Message<unknown>; body: B; log: Logger };

/**
 * A whole batch at once: its Stripe events are claimed and recorded in one statement each and
 * applied one customer after another in order (different customers at once); the other jobs
 * (emails, key recoveries) run at once. Each message is still acked or retried on its own, so one poison message never holds back
 * the rest; nothing is acked without being applied or recorded. Whether a failure is worth retrying
 * is errors.ts's one mapping (`isTransient`).
 */
export async function consumeEvents(batch: MessageBatch<unknown>, env: Bindings, deadLetters: Queue): Promise<void> {
  const started = Date.now();
  const base = createLogger({ queue: batch.queue });
  const stripeEvents: Parsed<StripeEventMessage>[] = [];
  const jobs: Parsed<JobMessage>[] = [];
  for (const message of batch.messages) {
    const log = base.child({ messageId: message.id, attempts: message.attempts });
    const parsed = QueueMessage.safeParse(message.body);
    if (!parsed.success) {
      log.error("queue: malformed message, dead-lettered");
      await deadLetters.send({ body: message.body, deadLetterReason: "malformed message" }, { contentType: "json" });
      message.ack();
    } else if (parsed.data.kind === "stripe-event") {
      stripeEvents.push({ message, body: parsed.data, log: log.child(logFields(parsed.data)) });
    } else {
      jobs.push({ message, body: parsed.data, log: log.child(logFields(parsed.data)) });
    }
  }
  if (stripeEvents.length + jobs.length === 0) return;

  let ctx: Ctx;
  try {
    ctx = createCtx(env, base);
  } catch (err) {
    // A broken configuration retries each message with backoff instead of failing the whole batch,
    // which the platform would redeliver at once.
    for (const m of [...stripeEvents, ...jobs]) await settle(m, { retry: err }, deadLetters, started);
    return;
  }
  await Promise.all([
    applyStripeEvents(ctx, stripeEvents, deadLetters, started),
    ...jobs.map(async (m) => {
      const fate = await runJob({ ...ctx, log: m.log }, m.body).then(
        (applied): EventFate => ({ applied }),
        (retry): EventFate => ({ retry }),
      );
      await settle(m, fate, deadLetters, started);
    }),
  ]);
}

async function applyStripeEvents(
  ctx: Ctx,
  messages: Parsed<StripeEventMessage>[],
  deadLetters: Queue,
  started: number,
) {
  // An event too large for its message is read back from Stripe first; one that cannot be is retried alone.
  const events = new Map<string, Stripe.Event>();
  const unread: [Parsed<StripeEventMessage>, unknown][] = [];
  await Promise.all(
    messages.map(async (m) => {
      try {
        // safe because the webhook verified the signature before enqueueing it (or Stripe itself answers)
        const event = (m.body.event ?? (await ctx.stripe.retrieveEvent(m.body.eventId))) as unknown as Stripe.Event;
        if (!events.has(event.id)) events.set(event.id, event);
      } catch (err) {
        unread.push([m, err]);
      }
    }),
  );
  const logs = new Map(messages.map((m) => [m.body.eventId, m.log]));
  let fates: Map<string, EventFate>;
  try {
    fates = await processStripeEvents(ctx, [...events.values()], (event) => logs.get(event.id) ?? ctx.log);
  } catch (err) {
    fates = new Map([...events.keys()].map((id) => [id, { retry: err }]));
  }
  const seen = new Set<string>();
  for (const m of messages) {
    const unreadError = unread.find(([u]) => u === m);
    if (unreadError) {
      await settle(m, { retry: unreadError[1] }, deadLetters, started);
      continue;
    }
    // The same event twice in one batch: applied once, the second message is a duplicate.
    const first = !seen.has(m.body.eventId);
    seen.add(m.body.eventId);
    const fate = first
      ? (fates.get(m.body.eventId) ?? { retry: new Error("event not processed") })
      : { applied: "duplicate" };
    await settle(m, fate, deadLetters, started);
  }
}

/** Ack, retry with backoff, or dead-letter one message: the same rules whatever the batch did. */
async function settle(m: Parsed<QueueMessage>, fate: EventFate, deadLetters: Queue, started: number) {
  const { message, body, log } = m;
  if ("applied" in fate) {
    message.ack();
    log.info("queue: message applied", { outcome: fate.applied, durationMs: Date.now() - started });
    return;
  }
  const err = fate.retry;
  const transient = isTransient(err);
  const reason = errorMessage(err);
  if (!transient && message.attempts >= MAX_UNEXPECTED_ATTEMPTS) {
    log.error("queue: giving up, dead-lettered", { error: reason });
    await deadLetters.send({ ...body, deadLetterReason: clip(reason, 500) }, { contentType: "json" });
    message.ack();
  } else {
    const delaySeconds = backoffSeconds(message.attempts);
    log[transient ? "warn" : "error"]("queue: retrying", { error: reason, transient, delaySeconds });
    message.retry({ delaySeconds });
  }
}
