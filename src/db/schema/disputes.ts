import { bigint, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { licenses } from "./licenses";

/**
 * Each chargeback as we last applied it, so one license's disputes are judged together (winning one
 * does not lift a suspension another still holds) and a dispute heard before its checkout is applied
 * when the license is issued (found by payment intent, or by the subscription the payment paid).
 */
export const disputes = pgTable(
  "disputes",
  {
    /** Stripe's dispute id (`dp_…`): a dispute keeps it from opening to close and through an appeal. */
    id: text().primaryKey(),
    paymentIntentId: text().notNull(),
    stripeSubscriptionId: text(),
    licenseId: text().references(() => licenses.id),
    /** Stripe's status as of `stateAtSec` (the event's `created`): an older event never overwrites it. */
    status: text().notNull(),
    stateAtSec: bigint({ mode: "number" }).notNull(),
    /** This dispute's loss revoked the license: an appeal won later reinstates it (and only such a revocation). */
    revokedLicenseAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.licenseId), index().on(t.paymentIntentId), index().on(t.stripeSubscriptionId)],
);
