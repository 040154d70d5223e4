import { EVENT_STATUSES } from "../../domain/stripe-event-types";
import { sql } from "drizzle-orm";
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
    /**
     * The event as Stripe sent it, until retention drops it (30 days after it was applied; a failed one
     * keeps it until resolved) or its customer is erased: null then, and a replay re-reads it from Stripe.
     */
    payload: jsonb(),
    /** The Stripe ids the event concerns (customer, subscription, payment intent, charge, ...): kept when the payload goes. */
    objectIds: text().array().notNull().default(sql`'{}'::text[]`),
    /** A consumer holds the event while applying it, so a concurrent redelivery waits instead of racing. */
    lockedUntil: timestamp({ withTimezone: true }),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index().on(t.status, t.receivedAt),
    // Erasure and GET /account/data find a person's events by the ids they touched.
    index("stripe_events_object_ids_idx").using("gin", t.objectIds),
  ],
);
