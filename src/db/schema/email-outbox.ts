import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { licenses } from "./licenses";

export const EMAIL_KINDS = ["license_issued", "license_recovery"] as const;

/** Emails to send, keyed by their Resend idempotency key so each is written and sent once. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: text().primaryKey(),
    idempotencyKey: text().notNull().unique(),
    kind: text({ enum: EMAIL_KINDS }).notNull().default("license_issued"),
    licenseId: text().references(() => licenses.id),
    /** Null once the recipient was erased; kind, status and times stay (docs/privacy.md). */
    toEmail: text(),
    subject: text().notNull(),
    /** Blanked ('') by the nightly retention once delivered: it holds the license key and the address. */
    textBody: text().notNull(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    /** A sender holds a row for a short while, so two consumers never send it at once. */
    lockedUntil: timestamp({ withTimezone: true }),
    sentAt: timestamp({ withTimezone: true }),
    providerMessageId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.sentAt, t.createdAt),
    // The per-address recovery limit counts these (db/queries/email-outbox.ts).
    index("email_outbox_recovery_address_idx")
      .on(sql`lower(${t.toEmail})`, t.createdAt)
      .where(sql`${t.kind} = 'license_recovery'`),
  ],
);
