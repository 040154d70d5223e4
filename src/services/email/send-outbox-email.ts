import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { emailOutbox } from "../../db/schema";
import { clip } from "../../lib/text";

/** The provider failed in a way worth retrying later (down, slow, throttling). */
export class EmailDeferredError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "EmailDeferredError";
  }
}

export type SendOutcome = "sent" | "already_sent" | "gave_up";

/**
 * Sends one outbox row. The row is held for 60 s while sending so two consumers never send it at
 * once; Resend's Idempotency-Key covers a crash between its answer and our `sent_at`.
 */
export async function sendOutboxEmail(ctx: Ctx, outboxId: string): Promise<SendOutcome> {
  const [row] = await ctx.db
    .update(emailOutbox)
    .set({ lockedUntil: sql`now() + interval '60 seconds'`, attempts: sql`${emailOutbox.attempts} + 1` })
    .where(
      and(
        eq(emailOutbox.id, outboxId),
        isNull(emailOutbox.sentAt),
        or(isNull(emailOutbox.lockedUntil), lt(emailOutbox.lockedUntil, sql`now()`)),
      ),
    )
    .returning();
  if (!row) {
    const [current] = await ctx.db.select({ sentAt: emailOutbox.sentAt }).from(emailOutbox).where(eq(emailOutbox.id, outboxId));
    if (!current || current.sentAt) return "already_sent";
    throw new EmailDeferredError("another sender holds this email");
  }

  const result = await ctx.email.send({
    to: row.toEmail,
    subject: row.subject,
    text: row.textBody,
    idempotencyKey: row.idempotencyKey,
  });
  if (result.ok) {
    await ctx.db
      .update(emailOutbox)
      .set({ sentAt: sql`now()`, providerMessageId: result.providerMessageId, lockedUntil: null, lastError: null })
      .where(eq(emailOutbox.id, outboxId));
    ctx.log.info("email sent", { outboxId, licenseId: row.licenseId, attempts: row.attempts });
    return "sent";
  }
  await ctx.db.update(emailOutbox).set({ lastError: clip(result.reason, 500), lockedUntil: null }).where(eq(emailOutbox.id, outboxId));
  ctx.log.warn("email not sent", { outboxId, reason: result.reason, retryable: result.retryable });
  if (result.retryable) throw new EmailDeferredError(result.reason);
  return "gave_up";
}
