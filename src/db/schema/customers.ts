import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const customers = pgTable(
  "customers",
  {
    id: text().primaryKey(),
    /** Unknown until a checkout tells us (a subscription event may arrive first). */
    email: text(),
    /** Not unique: one Logto user may end up with several Stripe customers (each checkout can make one). */
    logtoUserId: text(),
    stripeCustomerId: text().unique(),
    /** Erased on request (docs/privacy.md): no email again from a later event for this customer. */
    erasedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.logtoUserId)],
);
