import { and, asc, desc, eq, getTableColumns, inArray, isNotNull, lt, ne, sql, type SQL } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { LicenseStatus } from "../../domain/license-standing";
import type { Tier } from "../../domain/products";
import type { Db } from "../client";
import { activations, customers, licenses, licenseTokens, subscriptions } from "../schema";
import { newestKeyOf, newestTokenOrder } from "./license-tokens";

export type LicenseRow = typeof licenses.$inferSelect;
export type NewLicense = typeof licenses.$inferInsert & { id: string };

/** A license as lists show it (support search, the console, account data, recovery). */
export const licenseSummaryColumns = {
  id: licenses.id,
  email: licenses.email,
  product: licenses.product,
  tier: licenses.tier,
  status: licenses.status,
  expiresAt: licenses.expiresAt,
};

/** What activate/validate need to decide a license's standing and seat limit. */
const standingColumns = {
  id: licenses.id,
  product: licenses.product,
  tier: licenses.tier,
  status: licenses.status,
  expiresAt: licenses.expiresAt,
  maxMachines: licenses.maxMachines,
};

const selectLicenseStanding = (db: Db, id: string) =>
  db.select(standingColumns).from(licenses).where(eq(licenses.id, id));

export type LicenseStandingRow = Awaited<ReturnType<typeof selectLicenseStanding>>[number];

/** Serialises activations of one license: concurrent batches wait here, then count what committed. */
export const lockLicenseStanding = (db: Db, id: string) => selectLicenseStanding(db, id).for("update");

/**
 * Everything validate needs in one statement (no transaction): the license's standing, its newest
 * key, the seats in use and the key thumbprint of each seat `machineId` (if any) holds (null: its
 * unbound seat; no seat: an empty list). No row: no such license.
 */
export function selectValidationView(db: Db, licenseId: string, machineId: string | null) {
  const newestKey = newestKeyOf(db, licenses);
  const seatsUsed = db
    .select({ n: sql`count(*)::int` })
    .from(activations)
    .where(eq(activations.licenseId, licenses.id));
  const machineSeatKeys = db
    .select({ keys: sql`json_agg(${activations.jkt})` })
    .from(activations)
    .where(and(eq(activations.licenseId, licenses.id), eq(activations.machineId, machineId ?? "")));
  return db
    .select({
      ...standingColumns,
      newestKey: sql<string | null>`(${newestKey})`,
      seatsUsed: sql<number>`(${seatsUsed})`,
      machineSeatKeys: sql<(string | null)[]>`coalesce((${machineSeatKeys}), '[]'::json)`,
    })
    .from(licenses)
    .where(eq(licenses.id, licenseId));
}

/** A statement for issueLicense's batch. */
export const insertLicense = (db: Db, license: NewLicense) => db.insert(licenses).values(license).returning();

export const CHECKOUT_SESSION_UNIQUE = "licenses_checkoutSessionId_unique";

export const selectLicenseByCheckoutSession = (db: Db, checkoutSessionId: string) =>
  db.select().from(licenses).where(eq(licenses.checkoutSessionId, checkoutSessionId));

export const licenseIdForCheckoutSession = (checkoutSessionId: string) =>
  sql`(select ${licenses.id} from ${licenses} where ${licenses.checkoutSessionId} = ${checkoutSessionId})`;

/** A statement: the status change, only from the listed statuses; returns the changed row's id (none: nothing changed). */
const statusUpdate = (db: Db, licenseId: string, from: LicenseStatus[], set: PgUpdateSetSource<typeof licenses>) =>
  db
    .update(licenses)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(licenses.id, licenseId), inArray(licenses.status, from)))
    .returning({ id: licenses.id });

async function setStatus(
  db: Db,
  licenseId: string,
  from: LicenseStatus[],
  set: PgUpdateSetSource<typeof licenses>,
): Promise<boolean> {
  return (await statusUpdate(db, licenseId, from, set)).length > 0;
}

/** Idempotent: a second revoke keeps the first reason and time. A statement, for a batch with its audit entry. */
export const revokeStatement = (db: Db, licenseId: string, reason: string) =>
  statusUpdate(db, licenseId, ["active", "suspended", "expired"], {
    status: "revoked",
    revokedAt: sql`now()`,
    revokeReason: reason,
  });

export const markRevoked = async (db: Db, licenseId: string, reason: string) =>
  (await revokeStatement(db, licenseId, reason)).length > 0;

export const markSuspended = (db: Db, licenseId: string) =>
  setStatus(db, licenseId, ["active"], { status: "suspended", suspendedAt: sql`now()` });

/** A statement, for a batch with its audit entry. */
export const reinstateStatement = (db: Db, licenseId: string, from: ("suspended" | "revoked")[]) =>
  statusUpdate(db, licenseId, from, { status: "active", suspendedAt: null, revokedAt: null, revokeReason: null });

export const markActive = async (db: Db, licenseId: string, from: ("suspended" | "revoked")[]) =>
  (await reinstateStatement(db, licenseId, from)).length > 0;

/** The revoke reason of a lost dispute (API.md: `revoke_reason` `dispute_lost`). */
export const DISPUTE_LOST = "dispute_lost";

/**
 * An appeal won: a license revoked for a lost dispute (and for nothing else: a refund or support keep
 * theirs) comes back, suspended while another dispute of it is still open.
 */
export const markReinstatedAfterDisputeLoss = (db: Db, licenseId: string, status: "active" | "suspended") =>
  db
    .update(licenses)
    .set({
      status,
      revokedAt: null,
      revokeReason: null,
      suspendedAt: status === "suspended" ? sql`now()` : null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(licenses.id, licenseId), eq(licenses.status, "revoked"), eq(licenses.revokeReason, DISPUTE_LOST)))
    .returning({ id: licenses.id })
    .then((rows) => rows.length > 0);

/** Never shortens (an older invoice arriving late changes nothing); a revoked license stays revoked. */
export async function extendExpiry(db: Db, licenseId: string, expiresAt: Date): Promise<LicenseRow | null> {
  const [row] = await db
    .update(licenses)
    .set({
      expiresAt: sql`greatest(${licenses.expiresAt}, ${expiresAt.toISOString()}::timestamptz)`,
      status: sql`case when ${licenses.status} = 'expired' then 'active' else ${licenses.status} end`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(licenses.id, licenseId), ne(licenses.status, "revoked")))
    .returning();
  return row ?? null;
}

export async function setTier(db: Db, licenseId: string, tier: Tier): Promise<LicenseRow | null> {
  const [row] = await db
    .update(licenses)
    .set({ tier, updatedAt: sql`now()` })
    .where(and(eq(licenses.id, licenseId), ne(licenses.status, "revoked")))
    .returning();
  return row ?? null;
}

/** Active licenses past their expiry become `expired`; returns how many. */
export async function expireOverdue(db: Db): Promise<number> {
  const rows = await db
    .update(licenses)
    .set({ status: "expired", updatedAt: sql`now()` })
    .where(and(eq(licenses.status, "active"), lt(licenses.expiresAt, sql`now()`)))
    .returning({ id: licenses.id });
  return rows.length;
}

export async function findLicenseOfSubscription(db: Db, subscriptionId: string): Promise<LicenseRow | null> {
  const [row] = await db.select().from(licenses).where(eq(licenses.subscriptionId, subscriptionId)).limit(1);
  return row ?? null;
}

/** The license of a Stripe subscription, as a query (recordPayment embeds it in its insert). */
export const licenseIdOfStripeSubscription = (db: Db, stripeSubscriptionId: string) =>
  db
    .select({ id: licenses.id })
    .from(licenses)
    .innerJoin(subscriptions, eq(licenses.subscriptionId, subscriptions.id))
    .where(eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId))
    .limit(1);

export async function findLicenseIdOfStripeSubscription(db: Db, stripeSubscriptionId: string): Promise<string | null> {
  const [row] = await licenseIdOfStripeSubscription(db, stripeSubscriptionId);
  return row?.id ?? null;
}

/** The license a checkout session paid for, its owner and its newest key (none yet: no row). */
export async function findCheckoutLicense(db: Db, checkoutSessionId: string) {
  const [row] = await db
    .select({
      product: licenses.product,
      tier: licenses.tier,
      expiresAt: licenses.expiresAt,
      ownerLogtoUserId: customers.logtoUserId,
      key: licenseTokens.key,
    })
    .from(licenses)
    .leftJoin(customers, eq(customers.id, licenses.customerId))
    .leftJoin(licenseTokens, eq(licenseTokens.licenseId, licenses.id))
    .where(eq(licenses.checkoutSessionId, checkoutSessionId))
    .orderBy(...newestTokenOrder(licenses.tier))
    .limit(1);
  return row ?? null;
}

export type LicenseOverview = Awaited<ReturnType<typeof findLicenseOverviews>>[number];

/** Everything support needs about some licenses (by id, or by email case-insensitively), in two round trips. */
export async function findLicenseOverviews(db: Db, by: { id: string } | { email: string }) {
  const where: SQL = "id" in by ? eq(licenses.id, by.id) : sql`lower(${licenses.email}) = lower(${by.email.trim()})`;
  const rows = await db.select().from(licenses).where(where).orderBy(desc(licenses.createdAt)).limit(100);
  if (rows.length === 0) return [];
  const ids = rows.map((l) => l.id);
  const subscriptionIds = rows.map((l) => l.subscriptionId).filter((id): id is string => !!id);
  const [machines, tokens, subs] = await db.batch([
    db.select().from(activations).where(inArray(activations.licenseId, ids)).orderBy(asc(activations.activatedAt)),
    db
      .select(getTableColumns(licenseTokens))
      .from(licenseTokens)
      .innerJoin(licenses, eq(licenses.id, licenseTokens.licenseId))
      .where(inArray(licenseTokens.licenseId, ids))
      .orderBy(...newestTokenOrder(licenses.tier)),
    db
      .select()
      .from(subscriptions)
      .where(inArray(subscriptions.id, subscriptionIds.length ? subscriptionIds : ["-"])),
  ]);
  return rows.map((license) => ({
    license,
    newestKey: tokens.find((t) => t.licenseId === license.id)?.key ?? null,
    tokenCount: tokens.filter((t) => t.licenseId === license.id).length,
    activations: machines.filter((a) => a.licenseId === license.id),
    subscription: subs.find((s) => s.id === license.subscriptionId) ?? null,
  }));
}

/** Support lifts the deactivation limit: what was counted until now no longer is. A statement, for a batch with its audit entry. */
export const resetDeactivationsStatement = (db: Db, licenseId: string, now: Date) =>
  db
    .update(licenses)
    .set({ deactivationsResetAt: sql`${now.toISOString()}::timestamptz`, updatedAt: sql`now()` })
    .where(eq(licenses.id, licenseId))
    .returning({ id: licenses.id });

/** Erasure (docs/privacy.md): the buyer's address leaves the license; the license itself stays. */
export const eraseLicenseEmails = (db: Db, licenseIds: string[], now: Date) =>
  db
    .update(licenses)
    .set({ email: null, updatedAt: now })
    .where(and(inArray(licenses.id, licenseIds), isNotNull(licenses.email)))
    .returning({ id: licenses.id });
