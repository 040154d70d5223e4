import type { Ctx } from "../../context";
import { claimForSending, isSentOrGone, markNotSent, markSent } from "../../db/queries/email-outbox";
import { BusyError, UnavailableError } from "../../domain/errors";

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

  const result = await ctx.email.send({ to: row.toEmail, subject: row.subject, text: row.textBody, idempotencyKey: row.idempotencyKey });
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
