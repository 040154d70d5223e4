import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { LICENSE_STATUSES } from "../../domain/license-standing";
import { PRODUCT_IDS, TIERS } from "../../domain/products";
import { customers } from "./customers";
import { subscriptions } from "./subscriptions";

export const licenses = pgTable(
  "licenses",
  {
    id: text().primaryKey(),
    customerId: text().references(() => customers.id),
    subscriptionId: text().references(() => subscriptions.id),
    /** One license per paid checkout session: the natural key that makes redelivery harmless. */
    checkoutSessionId: text().unique(),
    /** The buyer's address, where keys are sent; null once the person was erased (docs/privacy.md). */
    email: text(),
    product: text({ enum: PRODUCT_IDS }).notNull(),
    tier: text({ enum: TIERS }).notNull(),
    status: text({ enum: LICENSE_STATUSES }).notNull().default("active"),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    maxMachines: integer(),
    revokedAt: timestamp({ withTimezone: true }),
    revokeReason: text(),
    suspendedAt: timestamp({ withTimezone: true }),
    /** Support lifted the deactivation limit: deactivations before this no longer count. */
    deactivationsResetAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Recovery (unauthenticated), the account pages and support look addresses up case-insensitively:
    // every query on email goes through lower(email), so this is its only index.
    index("licenses_email_lower_idx").on(sql`lower(${t.email})`),
    index().on(t.subscriptionId),
    index().on(t.customerId, t.product),
  ],
);

/** The license a seat, a deactivation or a key belongs to: every such row has one. */
export const licenseOfRow = () =>
  text()
    .notNull()
    .references(() => licenses.id);
