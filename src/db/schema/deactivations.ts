import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { licenses } from "./licenses";

/** Every seat freed by a deactivation: the rolling-window count that stops seat churn through leases. */
export const deactivations = pgTable(
  "deactivations",
  {
    id: text().primaryKey(),
    licenseId: text()
      .notNull()
      .references(() => licenses.id),
    machineId: text().notNull(),
    deactivatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.licenseId, t.deactivatedAt)],
);
