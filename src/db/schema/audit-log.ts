import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Every change a person or an internal key makes (console or /admin API), written in the same batch
 * as the change itself: who (`actor`: an Access email or an INTERNAL_API_KEYS name), what, to what,
 * why, under which request. Never deleted; the one update is an erasure's (docs/privacy.md): an erased
 * address typed into a reason is replaced by `[erased]`.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: text().primaryKey(),
    actor: text().notNull(),
    action: text().notNull(),
    /** `lic_…`, `evt_…`, or `lic_…/machines/<machine id>`: a filter on `lic_…` finds both. */
    target: text().notNull(),
    reason: text(),
    requestId: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.target, t.at), index().on(t.at)],
);
