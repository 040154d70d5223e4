import { pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import { licenses } from "./licenses";

export const activations = pgTable(
  "activations",
  {
    id: text().primaryKey(),
    licenseId: text()
      .notNull()
      .references(() => licenses.id),
    machineId: text().notNull(),
    machineName: text(),
    platform: text(),
    appVersion: text(),
    activatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.licenseId, t.machineId)],
);
