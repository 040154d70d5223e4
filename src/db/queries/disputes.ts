import { and, eq, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { disputes } from "../schema";

export type DisputeRow = typeof disputes.$inferSelect;

export interface DisputeState {
  id: string;
  paymentIntentId: string;
  stripeSubscriptionId: string | null;
  licenseId: string | null;
  status: string;
  stateAtSec: number;
}

/** Stripe's open statuses, in SQL: at a tie in seconds an opening never overwrites what followed it. */
const OPENING = sql`excluded.status in ('warning_needs_response', 'warning_under_review', 'needs_response', 'under_review')`;

/**
 * Writes a dispute's state unless we hold a newer one (Stripe stamps whole seconds and delivers in any
 * order: an older event, or an opening in the same second as a close, changes nothing); links are
 * kept once known and filled when learnt. Returns the row as stored and whether this state is it.
 */
export async function recordDisputeState(db: Db, s: DisputeState): Promise<{ row: DisputeRow; applied: boolean }> {
  const newer = sql`(excluded.state_at_sec > ${disputes.stateAtSec} or (excluded.state_at_sec = ${disputes.stateAtSec} and not ${OPENING}))`;
  const [row] = await db
    .insert(disputes)
    .values(s)
    .onConflictDoUpdate({
      target: disputes.id,
      set: {
        licenseId: sql`coalesce(${disputes.licenseId}, excluded.license_id)`,
        stripeSubscriptionId: sql`coalesce(${disputes.stripeSubscriptionId}, excluded.stripe_subscription_id)`,
        status: sql`case when ${newer} then excluded.status else ${disputes.status} end`,
        stateAtSec: sql`case when ${newer} then excluded.state_at_sec else ${disputes.stateAtSec} end`,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  // An upsert with returning always gives back the row it wrote or kept.
  if (!row) throw new Error(`dispute ${s.id}: upsert returned no row`);
  return { row, applied: row.status === s.status && row.stateAtSec === s.stateAtSec };
}

export const findDisputesOfLicense = (db: Db, licenseId: string) =>
  db.select().from(disputes).where(eq(disputes.licenseId, licenseId));

export async function markDisputeRevokedLicense(db: Db, disputeId: string) {
  await db
    .update(disputes)
    .set({ revokedLicenseAt: sql`coalesce(${disputes.revokedLicenseAt}, now())`, updatedAt: sql`now()` })
    .where(eq(disputes.id, disputeId));
}

/**
 * Disputes heard before the license their payment paid for existed: links them to it and returns
 * them (a statement for the checkout's batch).
 */
export function claimEarlierDisputes(
  db: Db,
  licenseId: string,
  keys: { paymentIntentId: string | null; stripeSubscriptionId: string | null },
) {
  const matches: SQL[] = [];
  if (keys.paymentIntentId) matches.push(eq(disputes.paymentIntentId, keys.paymentIntentId));
  if (keys.stripeSubscriptionId) matches.push(eq(disputes.stripeSubscriptionId, keys.stripeSubscriptionId));
  return db
    .update(disputes)
    .set({ licenseId, updatedAt: sql`now()` })
    .where(and(isNull(disputes.licenseId), matches.length ? or(...matches) : sql`false`))
    .returning();
}
