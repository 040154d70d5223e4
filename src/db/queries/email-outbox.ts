import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { clip } from "../../lib/text";
import type { Db } from "../client";
import { emailOutbox } from "../schema";

export type OutboxRow = typeof emailOutbox.$inferSelect;

export const licenseIssuedKey = (licenseId: string) => `license-issued/${licenseId}`;

/** A statement for issueLicense's batch: the license-issued email, once per license. */
export const insertLicenseIssuedEmail = (db: Db, row: { id: string; licenseId: string; toEmail: string; subject: string; textBody: string }) =>
  db
    .insert(emailOutbox)
    .values({ ...row, idempotencyKey: licenseIssuedKey(row.licenseId) })
    .onConflictDoNothing({ target: emailOutbox.idempotencyKey });

/** The license-issued email of this license, if it is still to be sent. */
export const selectPendingLicenseEmails = (db: Db, licenseId: string) =>
  db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.idempotencyKey, licenseIssuedKey(licenseId)), isNull(emailOutbox.sentAt)));

export async function pendingLicenseEmails(db: Db, licenseId: string): Promise<string[]> {
  return (await selectPendingLicenseEmails(db, licenseId)).map((r) => r.id);
}

/** Holds an unsent row for 60 s so two consumers never send it at once; null when sent or held. */
export async function claimForSending(db: Db, outboxId: string): Promise<OutboxRow | null> {
  const [row] = await db
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
  return row ?? null;
}

export async function isSentOrGone(db: Db, outboxId: string): Promise<boolean> {
  const [current] = await db.select({ sentAt: emailOutbox.sentAt }).from(emailOutbox).where(eq(emailOutbox.id, outboxId));
  return !current || current.sentAt !== null;
}

export async function markSent(db: Db, outboxId: string, providerMessageId: string) {
  await db
    .update(emailOutbox)
    .set({ sentAt: sql`now()`, providerMessageId, lockedUntil: null, lastError: null })
    .where(eq(emailOutbox.id, outboxId));
}

/** Not sent (yet): the reason for support, and the row free for the next try. */
export async function markNotSent(db: Db, outboxId: string, reason: string) {
  await db.update(emailOutbox).set({ lastError: clip(reason, 500), lockedUntil: null }).where(eq(emailOutbox.id, outboxId));
}

/** Unsent rows old enough that their queue message was lost, under the attempt cap. */
export async function listStuckEmails(db: Db, limits: { maxAttempts: number; olderThanMinutes: number; limit: number }) {
  return db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(
      and(
        isNull(emailOutbox.sentAt),
        lt(emailOutbox.attempts, limits.maxAttempts),
        lt(emailOutbox.createdAt, sql`now() - make_interval(mins => ${limits.olderThanMinutes})`),
        or(isNull(emailOutbox.lockedUntil), lt(emailOutbox.lockedUntil, sql`now()`)),
      ),
    )
    .limit(limits.limit);
}
