import { bigint, boolean, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { PRODUCT_IDS, TIERS } from "../../domain/products";
import type { StripeSubscriptionStatus } from "../../domain/stripe-status";
import { customers } from "./customers";

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: text().primaryKey(),
    stripeSubscriptionId: text().notNull().unique(),
    customerId: text().references(() => customers.id),
    product: text({ enum: PRODUCT_IDS }).notNull(),
    tier: text({ enum: TIERS }).notNull(),
    /** Stripe's own status word (active, trialing, past_due, canceled, ...). */
    status: text().$type<StripeSubscriptionStatus>().notNull(),
    currentPeriodEnd: timestamp({ withTimezone: true }),
    cancelAtPeriodEnd: boolean().notNull().default(false),
    /** `created` (Unix seconds) of the Stripe event or API read this row reflects: older ones never overwrite it. */
    stripeStateAtSec: bigint({ mode: "number" }).notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.customerId, t.product)],
);
