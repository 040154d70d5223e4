import { bigint, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { licenses } from "./licenses";

/**
 * What each Stripe payment intent paid for, and whether it was fully refunded. Filled from either
 * side (checkout/invoice or refund) so a refund that arrives before its checkout still revokes.
 */
export const payments = pgTable(
  "payments",
  {
    paymentIntentId: text().primaryKey(),
    licenseId: text().references(() => licenses.id),
    stripeSubscriptionId: text(),
    checkoutSessionId: text(),
    chargeId: text(),
    amountRefunded: bigint({ mode: "number" }),
    fullyRefundedAt: timestamp({ withTimezone: true }),
    /** The charge's dispute as we last applied it; a `created` older than the recorded close never suspends again. */
    disputeStatus: text(),
    disputeClosedSec: bigint({ mode: "number" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.stripeSubscriptionId),
    index().on(t.checkoutSessionId),
    // Every event claim asks whether its charge belongs to an erased buyer; support searches by charge id.
    index().on(t.chargeId),
  ],
);
