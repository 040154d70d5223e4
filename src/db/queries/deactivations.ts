import { and, eq, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { activations, deactivations, licenses } from "../schema";
import { allOf } from "../conditions";
import { machineSeats } from "./activations";

/**
 * The deactivations that count against a license's rolling window: newer than `since` and than
 * the last support reset.
 */
function countedDeactivations(licenseId: string, since: Date): SQL {
  const resetAt = sql`(select ${licenses.deactivationsResetAt} from ${licenses} where ${licenses.id} = ${licenseId})`;
  return allOf(
    eq(deactivations.licenseId, licenseId),
    sql`${deactivations.deactivatedAt} > greatest(${since.toISOString()}::timestamptz, coalesce(${resetAt}, '-infinity'::timestamptz))`,
  );
}

export interface NewDeactivation {
  id: string;
  licenseId: string;
  machineId: string;
  /** The seat's key (null: the unbound seat); undefined: any seat of the machine, counted once. */
  jkt?: string | null;
  now: Date;
  since: Date;
  limit: number;
}

/**
 * Logs the deactivation of a seated machine only while fewer than `limit` count in the window.
 * Run it in a batch after lockLicenseStanding, then deleteDeactivatedSeat: the seat is freed only
 * when this row was written, so concurrent deactivations cannot overshoot the limit.
 */
export function insertDeactivationWithinLimit(db: Db, d: NewDeactivation) {
  const counted = db.select({ n: sql`count(*)` }).from(deactivations).where(countedDeactivations(d.licenseId, d.since));
  return db
    .insert(deactivations)
    .select(
      db
        .select({
          id: sql`${d.id}::text`.as("id"),
          licenseId: activations.licenseId,
          machineId: activations.machineId,
          deactivatedAt: sql`${d.now.toISOString()}::timestamptz`.as("deactivated_at"),
        })
        .from(activations)
        .where(and(machineSeats(d), sql`(${counted}) < ${d.limit}`))
        .limit(1),
    )
    .returning({ id: deactivations.id });
}

/** Whether the machine still holds a seat, and the oldest counted deactivation (when the next one may happen). */
export function selectSeatAndOldestDeactivation(
  db: Db,
  seatOf: { licenseId: string; machineId: string; jkt?: string | null },
  since: Date,
) {
  const seat = db.select({ id: activations.id }).from(activations).where(machineSeats(seatOf));
  const oldest = db
    .select({ at: sql`min(${deactivations.deactivatedAt})` })
    .from(deactivations)
    .where(countedDeactivations(seatOf.licenseId, since));
  return db
    .select({
      seated: sql<boolean>`exists (${seat})`,
      oldestCountedAt: sql<Date | null>`(${oldest})`.mapWith(deactivations.deactivatedAt),
    })
    .from(sql`(select 1) as one`);
}

/** Retention: a deactivation older than the rolling window counts for nothing any more. */
export const deleteDeactivationsBefore = (db: Db, before: Date) =>
  db.delete(deactivations).where(lt(deactivations.deactivatedAt, before)).returning({ id: deactivations.id });
