import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { licenses } from "./licenses";

/** Emails to send, keyed by their Resend idempotency key so each is written and sent once. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: text().primaryKey(),
    idempotencyKey: text().notNull().unique(),
    licenseId: text().references(() => licenses.id),
    toEmail: text().notNull(),
    subject: text().notNull(),
    textBody: text().notNull(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    /** A sender holds a row for a short while, so two consumers never send it at once. */
    lockedUntil: timestamp({ withTimezone: true }),
    sentAt: timestamp({ withTimezone: true }),
    providerMessageId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.sentAt, t.createdAt)],
);
