import { desc, eq, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { auditLog } from "../schema";

export type NewAuditEntry = Omit<typeof auditLog.$inferInsert, "at">;

/** A statement for the batch that makes the change: the entry commits with it or not at all. */
export const insertAuditEntry = (db: Db, entry: NewAuditEntry) => db.insert(auditLog).values(entry);

/** `target` itself and what sits under it (`lic_…` also finds `lic_…/machines/…`). */
const underTarget = (target: string) =>
  or(eq(auditLog.target, target), sql`left(${auditLog.target}, ${target.length + 1}) = ${`${target}/`}`);

/** Newest first; a statement, so a page can read it in the batch of its other reads. */
export const selectAuditEntries = (db: Db, filter: { target?: string; limit: number }) =>
  db
    .select()
    .from(auditLog)
    .where(filter.target ? underTarget(filter.target) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(filter.limit);

/** `a|b|…` matching any of the addresses literally (POSIX regex metacharacters escaped). */
const anyOf = (emails: string[]) => emails.map((e) => e.replace(/[.+*?^$()[\]{}|\\]/g, "\\$&")).join("|");

/**
 * Erasure (docs/privacy.md): an erased address that support typed into a reason becomes `[erased]`;
 * the entries themselves (who, what, when, which ids) stay.
 */
export const redactAuditReasons = (db: Db, emails: string[]) =>
  db
    .update(auditLog)
    .set({ reason: sql`regexp_replace(${auditLog.reason}, ${anyOf(emails)}, '[erased]', 'gi')` })
    .where(sql`${auditLog.reason} ~* ${anyOf(emails)}`);
