import { EVENT_STATUSES } from "../../domain/stripe-event-types";
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text().primaryKey(),
    type: text().notNull(),
    createdSec: bigint({ mode: "number" }).notNull(),
    livemode: boolean().notNull(),
    status: text({ enum: EVENT_STATUSES }).notNull().default("received"),
    attempts: integer().notNull().default(0),
    errorCode: text(),
    lastError: text(),
    payload: jsonb().notNull(),
    /** A consumer holds the event while applying it, so a concurrent redelivery waits instead of racing. */
    lockedUntil: timestamp({ withTimezone: true }),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.status, t.receivedAt)],
);
