import { textArray } from "../text-array";
import { and, eq, inArray, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";
import { clip } from "../../lib/text";
import type { Db } from "../client";
import { emailOutbox } from "../schema";

export type OutboxRow = typeof emailOutbox.$inferSelect;

const licenseIssuedKey = (licenseId: string) => `license-issued/${licenseId}`;

/** A statement for issueLicense's batch: the license-issued email, once per license. */
export const insertLicenseIssuedEmail = (
  db: Db,
  row: { id: string; licenseId: string; toEmail: string; subject: string; textBody: string },
) =>
  db
    .insert(emailOutbox)
    .values({ ...row, idempotencyKey: licenseIssuedKey(row.licenseId) })
    .onConflictDoNothing({ target: emailOutbox.idempotencyKey });

/** Support sends the license email again: a new row (and Resend idempotency key) per request, keyed by its audit entry. */
export const insertResentLicenseEmail = (
  db: Db,
  row: { id: string; auditId: string; licenseId: string; toEmail: string; subject: string; textBody: string },
) => {
  const { auditId, ...values } = row;
  return db
    .insert(emailOutbox)
    .values({ ...values, kind: "license_issued", idempotencyKey: `license-resent/${auditId}` })
    .returning({ id: emailOutbox.id });
};

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
  const [current] = await db
    .select({ sentAt: emailOutbox.sentAt })
    .from(emailOutbox)
    .where(eq(emailOutbox.id, outboxId));
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
  await db
    .update(emailOutbox)
    .set({ lastError: clip(reason, 500), lockedUntil: null })
    .where(eq(emailOutbox.id, outboxId));
}

/** Unsent rows old enough that their queue message was lost, under the attempt cap. */
export async function listStuckEmails(
  db: Db,
  limits: { maxAttempts: number; olderThanMinutes: number; limit: number },
) {
  return db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(
      and(
        isNull(emailOutbox.sentAt),
        isNotNull(emailOutbox.toEmail),
        lt(emailOutbox.attempts, limits.maxAttempts),
        lt(emailOutbox.createdAt, sql`now() - make_interval(mins => ${limits.olderThanMinutes})`),
        or(isNull(emailOutbox.lockedUntil), lt(emailOutbox.lockedUntil, sql`now()`)),
      ),
    )
    .limit(limits.limit);
}

const licenseRecoveryKey = (requestId: string) => `license-recovery/${requestId}`;

export interface NewRecoveryEmail {
  id: string;
  requestId: string;
  /** Lower-cased and trimmed: what the limits count by. */
  address: string;
  toEmail: string;
  subject: string;
  textBody: string;
  now: Date;
  /** At most one per `minGapMinutes`, and `perDay` in any 24 hours, per address. */
  minGapMinutes: number;
  perDay: number;
  /** And at most `perHourTotal` recovery emails to all addresses together in any hour. */
  perHourTotal: number;
}

/**
 * The recovery email of one request, written only while the address is under its limits, and read
 * back by its idempotency key: a redelivered request finds its own row (not counted against
 * itself); none back means "over the limit". The advisory lock serialises recovery requests (the
 * global budget counts every address), so concurrent ones cannot both pass (neon-http runs a batch
 * as one transaction).
 */
export function insertRecoveryEmailWithinLimits(db: Db, r: NewRecoveryEmail) {
  const key = licenseRecoveryKey(r.requestId);
  const now = sql`${r.now.toISOString()}::timestamptz`;
  const sameAddress = and(eq(emailOutbox.kind, "license_recovery"), sql`lower(${emailOutbox.toEmail}) = ${r.address}`);
  const recent = db
    .select({ n: sql`count(*)` })
    .from(emailOutbox)
    .where(and(sameAddress, sql`${emailOutbox.createdAt} > ${now} - make_interval(mins => ${r.minGapMinutes})`));
  const today = db
    .select({ n: sql`count(*)` })
    .from(emailOutbox)
    .where(and(sameAddress, sql`${emailOutbox.createdAt} > ${now} - interval '1 day'`));
  const lastHour = db
    .select({ n: sql`count(*)` })
    .from(emailOutbox)
    .where(
      and(
        eq(emailOutbox.kind, "license_recovery"),
        sql`${emailOutbox.createdAt} > ${now} - interval '1 hour'`,
        sql`${emailOutbox.createdAt} <= ${now}`,
      ),
    );
  const already = db.select({ id: emailOutbox.id }).from(emailOutbox).where(eq(emailOutbox.idempotencyKey, key));
  return [
    db
      .select({ locked: sql`pg_advisory_xact_lock(hashtextextended('license-recovery', 0))` })
      .from(sql`(select 1) as one`),
    db
      .insert(emailOutbox)
      .select(
        db
          .select({
            // Every column in the table's order: drizzle's insert-select requires it.
            id: sql`${r.id}::text`.as("id"),
            idempotencyKey: sql`${key}::text`.as("idempotency_key"),
            kind: sql`'license_recovery'`.as("kind"),
            licenseId: sql`null::text`.as("license_id"),
            toEmail: sql`${r.toEmail}::text`.as("to_email"),
            subject: sql`${r.subject}::text`.as("subject"),
            textBody: sql`${r.textBody}::text`.as("text_body"),
            attempts: sql`0`.as("attempts"),
            lastError: sql`null::text`.as("last_error"),
            lockedUntil: sql`null::timestamptz`.as("locked_until"),
            sentAt: sql`null::timestamptz`.as("sent_at"),
            providerMessageId: sql`null::text`.as("provider_message_id"),
            createdAt: now.as("created_at"),
          })
          .from(sql`(select 1) as one`)
          .where(
            sql`not exists (${already}) and (${recent}) = 0 and (${today}) < ${r.perDay} and (${lastHour}) < ${r.perHourTotal}`,
          ),
      )
      .onConflictDoNothing({ target: emailOutbox.idempotencyKey }),
    db
      .select({ id: emailOutbox.id, sentAt: emailOutbox.sentAt })
      .from(emailOutbox)
      .where(eq(emailOutbox.idempotencyKey, key)),
  ] as const;
}

/** Retention: the body of an email delivered before `deliveredBefore` is blanked (it holds the key and the address). */
export const blankDeliveredBodies = (db: Db, deliveredBefore: Date) =>
  db
    .update(emailOutbox)
    .set({ textBody: "" })
    .where(and(lt(emailOutbox.sentAt, deliveredBefore), ne(emailOutbox.textBody, "")))
    .returning({ id: emailOutbox.id });

/** Erasure (docs/privacy.md): the recipient and the body of every email of these licenses or to these addresses. */
export const eraseEmails = (db: Db, s: { licenseIds: string[]; emails: string[] }) =>
  db
    .update(emailOutbox)
    .set({ toEmail: null, textBody: "" })
    .where(
      and(
        or(
          inArray(emailOutbox.licenseId, s.licenseIds),
          sql`lower(${emailOutbox.toEmail}) = any(${textArray(s.emails)})`,
        ),
        or(isNotNull(emailOutbox.toEmail), ne(emailOutbox.textBody, "")),
      ),
    )
    .returning({ id: emailOutbox.id });
