import { and, desc, eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../client";
import { activations, deactivations, licenses, licenseTokens } from "../schema";

export type LicenseRow = typeof licenses.$inferSelect;
export type LicenseTokenRow = typeof licenseTokens.$inferSelect;

/** What activate/validate need to decide a license's standing and seat limit. */
const standingColumns = {
  id: licenses.id,
  product: licenses.product,
  tier: licenses.tier,
  status: licenses.status,
  expiresAt: licenses.expiresAt,
  maxMachines: licenses.maxMachines,
};

export const selectLicenseStanding = (db: Db, id: string) =>
  db.select(standingColumns).from(licenses).where(eq(licenses.id, id));

export type LicenseStandingRow = Awaited<ReturnType<typeof selectLicenseStanding>>[number];

/**
 * The common re-activation (the app on every start): refreshes the seat this machine already holds,
 * only while the license is active and unexpired. Takes no license lock and creates no seat, so it
 * cannot overshoot the limit; no row back means "not seated (or not in good standing)": take the
 * locked path.
 */
export function refreshSeat(db: Db, a: Omit<NewActivation, "id" | "defaultLimit">) {
  const now = sql`${a.now.toISOString()}::timestamptz`;
  return db
    .update(activations)
    .set({
      lastSeenAt: now,
      machineName: sql`coalesce(${a.machineName}::text, ${activations.machineName})`,
      platform: sql`coalesce(${a.platform}::text, ${activations.platform})`,
      appVersion: sql`coalesce(${a.appVersion}::text, ${activations.appVersion})`,
    })
    .from(licenses)
    .where(
      and(
        eq(activations.licenseId, a.licenseId),
        eq(activations.machineId, a.machineId),
        eq(licenses.id, activations.licenseId),
        eq(licenses.product, a.product),
        eq(licenses.status, "active"),
        sql`${licenses.expiresAt} > ${now}`,
      ),
    )
    .returning({ machineId: activations.machineId, activatedAt: activations.activatedAt });
}

/** Serialises activations of one license: concurrent batches wait here, then count what committed. */
export const lockLicenseStanding = (db: Db, id: string) => selectLicenseStanding(db, id).for("update");

/**
 * The key to hand the app: of the license's current tier (a downgrade back to a tier re-uses that
 * tier's older token), then the latest expiry, then the latest issued. `tier` is the license's tier
 * column (or a subquery's). Every place that picks "the newest key" orders by this.
 */
export const newestTokenOrder = (tier: AnyPgColumn | SQL) =>
  [desc(sql`${licenseTokens.tier} = ${tier}`), desc(licenseTokens.expiresAt), desc(licenseTokens.issuedAt)] as const;

/** Takes an id or a subquery. */
export const selectNewestToken = (db: Db, licenseId: string | SQL) =>
  db
    .select(getTableColumns(licenseTokens))
    .from(licenseTokens)
    .innerJoin(licenses, eq(licenses.id, licenseTokens.licenseId))
    .where(eq(licenseTokens.licenseId, licenseId))
    .orderBy(...newestTokenOrder(licenses.tier))
    .limit(1);

/**
 * Everything validate needs in one statement (no transaction): the license's standing, its newest
 * key, the seats in use and when `machineId` (if any) was activated. No row: no such license.
 */
export function selectValidationView(db: Db, licenseId: string, machineId: string | null) {
  const newestKey = db
    .select({ key: licenseTokens.key })
    .from(licenseTokens)
    .where(eq(licenseTokens.licenseId, licenses.id))
    .orderBy(...newestTokenOrder(licenses.tier))
    .limit(1);
  const seatsUsed = db.select({ n: sql`count(*)::int` }).from(activations).where(eq(activations.licenseId, licenses.id));
  const machineActivatedAt = db
    .select({ at: activations.activatedAt })
    .from(activations)
    .where(and(eq(activations.licenseId, licenses.id), eq(activations.machineId, machineId ?? "")));
  return db
    .select({
      ...standingColumns,
      newestKey: sql<string | null>`(${newestKey})`,
      seatsUsed: sql<number>`(${seatsUsed})`,
      machineActivatedAt: sql<Date | null>`(${machineActivatedAt})`.mapWith(activations.activatedAt),
    })
    .from(licenses)
    .where(eq(licenses.id, licenseId));
}

export const selectTokenForPeriod = (db: Db, t: { licenseId: string; tier: string; expiresAt: Date }) =>
  db
    .select()
    .from(licenseTokens)
    .where(
      and(
        eq(licenseTokens.licenseId, t.licenseId),
        eq(licenseTokens.tier, t.tier),
        eq(licenseTokens.expiresAt, t.expiresAt),
      ),
    );

export const insertTokenIdempotently = (db: Db, token: LicenseTokenRow) =>
  db.insert(licenseTokens).values(token).onConflictDoNothing({
    target: [licenseTokens.licenseId, licenseTokens.tier, licenseTokens.expiresAt],
  });

export const selectLicenseByCheckoutSession = (db: Db, checkoutSessionId: string) =>
  db.select().from(licenses).where(eq(licenses.checkoutSessionId, checkoutSessionId));

export const licenseIdForCheckoutSession = (checkoutSessionId: string) =>
  sql`(select ${licenses.id} from ${licenses} where ${licenses.checkoutSessionId} = ${checkoutSessionId})`;

export const CHECKOUT_SESSION_UNIQUE = "licenses_checkoutSessionId_unique";

export interface NewActivation {
  id: string;
  licenseId: string;
  product: string;
  machineId: string;
  machineName: string | null;
  platform: string | null;
  appVersion: string | null;
  now: Date;
  defaultLimit: number;
}

/**
 * Inserts the activation only while the license is active, unexpired and has a free seat (the
 * machine's own row does not count against it); the same machine again just refreshes its row.
 * Run it in a batch after lockLicenseStanding: in READ COMMITTED this statement then counts
 * with a snapshot taken after the lock, so concurrent activations cannot overshoot the limit.
 */
export function insertActivationWithinLimit(db: Db, a: NewActivation) {
  const now = sql`${a.now.toISOString()}::timestamptz`;
  // Aliased because drizzle's insert-select matches the select's fields to the table's columns by name.
  const text = (v: string | null, alias: string) => sql`${v}::text`.as(alias);
  const otherMachines = db
    .select({ n: sql`count(*)` })
    .from(activations)
    .where(and(eq(activations.licenseId, licenses.id), sql`${activations.machineId} <> ${a.machineId}`));
  return db
    .insert(activations)
    .select(
      db
        .select({
          id: text(a.id, "id"),
          licenseId: licenses.id,
          machineId: text(a.machineId, "machine_id"),
          machineName: text(a.machineName, "machine_name"),
          platform: text(a.platform, "platform"),
          appVersion: text(a.appVersion, "app_version"),
          activatedAt: now.as("activated_at"),
          lastSeenAt: now.as("last_seen_at"),
        })
        .from(licenses)
        .where(
          and(
            eq(licenses.id, a.licenseId),
            eq(licenses.product, a.product),
            eq(licenses.status, "active"),
            sql`${licenses.expiresAt} > ${now}`,
            sql`(${otherMachines}) < coalesce(${licenses.maxMachines}, ${a.defaultLimit})`,
          ),
        ),
    )
    .onConflictDoUpdate({
      target: [activations.licenseId, activations.machineId],
      set: {
        lastSeenAt: sql`excluded.last_seen_at`,
        machineName: sql`coalesce(excluded.machine_name, ${activations.machineName})`,
        platform: sql`coalesce(excluded.platform, ${activations.platform})`,
        appVersion: sql`coalesce(excluded.app_version, ${activations.appVersion})`,
      },
    })
    .returning({ machineId: activations.machineId, activatedAt: activations.activatedAt });
}

export const deleteActivation = (db: Db, licenseId: string, machineId: string) =>
  db
    .delete(activations)
    .where(and(eq(activations.licenseId, licenseId), eq(activations.machineId, machineId)))
    .returning({ id: activations.id });

/**
 * The deactivations that count against a license's rolling window: newer than `since` and than
 * the last support reset.
 */
function countedDeactivations(licenseId: string, since: Date): SQL {
  const resetAt = sql`(select ${licenses.deactivationsResetAt} from ${licenses} where ${licenses.id} = ${licenseId})`;
  return and(
    eq(deactivations.licenseId, licenseId),
    sql`${deactivations.deactivatedAt} > greatest(${since.toISOString()}::timestamptz, coalesce(${resetAt}, '-infinity'::timestamptz))`,
  )!;
}

export interface NewDeactivation {
  id: string;
  licenseId: string;
  machineId: string;
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
        .where(and(eq(activations.licenseId, d.licenseId), eq(activations.machineId, d.machineId), sql`(${counted}) < ${d.limit}`)),
    )
    .returning({ id: deactivations.id });
}

/** Frees the seat whose deactivation `deactivationId` recorded (nothing when none was recorded). */
export const deleteDeactivatedSeat = (db: Db, d: { licenseId: string; machineId: string; deactivationId: string }) =>
  db
    .delete(activations)
    .where(
      and(
        eq(activations.licenseId, d.licenseId),
        eq(activations.machineId, d.machineId),
        sql`exists (select 1 from ${deactivations} where ${deactivations.id} = ${d.deactivationId})`,
      ),
    )
    .returning({ id: activations.id });

/** Whether the machine still holds a seat, and the oldest counted deactivation (when the next one may happen). */
export function selectSeatAndOldestDeactivation(db: Db, licenseId: string, machineId: string, since: Date) {
  const seat = db
    .select({ id: activations.id })
    .from(activations)
    .where(and(eq(activations.licenseId, licenseId), eq(activations.machineId, machineId)));
  const oldest = db.select({ at: sql`min(${deactivations.deactivatedAt})` }).from(deactivations).where(countedDeactivations(licenseId, since));
  return db
    .select({
      seated: sql<boolean>`exists (${seat})`,
      oldestCountedAt: sql<Date | null>`(${oldest})`.mapWith(deactivations.deactivatedAt),
    })
    .from(sql`(select 1) as one`);
}

/** Support lifts the deactivation limit: what was counted until now no longer is. */
export const resetDeactivations = (db: Db, licenseId: string, now: Date) =>
  db
    .update(licenses)
    .set({ deactivationsResetAt: sql`${now.toISOString()}::timestamptz`, updatedAt: sql`now()` })
    .where(eq(licenses.id, licenseId))
    .returning({ id: licenses.id });
