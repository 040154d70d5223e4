import { and, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../../context";
import { emailOutbox } from "../../db/schema";
import { errorMessage } from "../../lib/logger";
import { enqueueEmail } from "../../queue/producer";

export const licenseIssuedKey = (licenseId: string) => `license-issued/${licenseId}`;

/** The license-issued email of this license, if it is still to be sent. */
export async function pendingLicenseEmails(ctx: Ctx, licenseId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.idempotencyKey, licenseIssuedKey(licenseId)), isNull(emailOutbox.sentAt)));
  return rows.map((r) => r.id);
}

/** Best effort: when the queue refuses, the row stays in the outbox and the nightly reconcile sends it. */
export async function queueLicenseEmail(ctx: Ctx, licenseId: string): Promise<void> {
  for (const outboxId of await pendingLicenseEmails(ctx, licenseId)) {
    try {
      await enqueueEmail(ctx.queue, outboxId);
    } catch (err) {
      ctx.log.warn("license email not queued: left for the reconcile", { licenseId, outboxId, error: errorMessage(err) });
    }
  }
}
