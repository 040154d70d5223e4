import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { licenseOfRow } from "./licenses";

/** Every seat freed by a deactivation: the rolling-window count that stops seat churn through leases. */
export const deactivations = pgTable(
  "deactivations",
  {
    id: text().primaryKey(),
    licenseId: licenseOfRow(),
    machineId: text().notNull(),
    deactivatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.licenseId, t.deactivatedAt)],
);
