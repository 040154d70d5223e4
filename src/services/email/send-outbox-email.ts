import type { Ctx } from "../../context";
import { claimForSending, isSentOrGone, markNotSent, markSent } from "../../db/queries/email-outbox";
import { BusyError, UnavailableError } from "../../errors";
import { errorMessage } from "../../lib/logger";

export type SendOutcome = "sent" | "already_sent" | "gave_up";

/**
 * Sends one outbox row. The row is held for 60 s while sending so two consumers never send it at
 * once; Resend's Idempotency-Key covers a crash between its answer and our `sent_at`.
 */
export async function sendOutboxEmail(ctx: Ctx, input: { outboxId: string }): Promise<SendOutcome> {
  const { outboxId } = input;
  const row = await claimForSending(ctx.db, outboxId);
  if (!row) {
    if (await isSentOrGone(ctx.db, outboxId)) return "already_sent";
    throw new BusyError("another sender holds this email");
  }

  if (row.toEmail === null) {
    // The recipient was erased (docs/privacy.md) before this email went out: nobody to send it to.
    await markNotSent(ctx.db, outboxId, "recipient erased");
    return "gave_up";
  }
  const result = await ctx.email.send({
    to: row.toEmail,
    subject: row.subject,
    text: row.textBody,
    idempotencyKey: row.idempotencyKey,
  });
  if (result.ok) {
    await markSent(ctx.db, outboxId, result.providerMessageId);
    ctx.log.info("email sent", { outboxId, licenseId: row.licenseId, attempts: row.attempts });
    return "sent";
  }
  await markNotSent(ctx.db, outboxId, result.reason);
  ctx.log.warn("email not sent", { outboxId, reason: result.reason, retryable: result.retryable });
  if (result.retryable) throw new UnavailableError(result.reason);
  return "gave_up";
}

/**
 * The emails a batch of events produced, sent by the invocation that applied them. Each already has
 * a delayed job on the queue; one that fails here is queued again at once, so the queue's retries and
 * backoff take over as if it had never been tried inline.
 */
export async function sendEmailsNow(ctx: Ctx, outboxIds: string[]): Promise<void> {
  await Promise.all(
    outboxIds.map(async (outboxId) => {
      try {
        await sendOutboxEmail(ctx, { outboxId });
      } catch (err) {
        ctx.log.warn("email: inline send failed, queued", { outboxId, error: errorMessage(err) });
        await ctx.jobs.enqueueEmail(outboxId).catch(() => undefined);
      }
    }),
  );
}
