import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Product } from "../../domain/products";
import {
  LIVE_STRIPE_STATUSES,
  UNSETTLED_STRIPE_STATUSES,
  type StripeSubscriptionStatus,
} from "../../domain/stripe-status";
import type { Db } from "../client";
import { customers, licenses, licenseTokens, subscriptions } from "../schema";
import { newestTokenOrder } from "./license-tokens";

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type SubscriptionState = Omit<typeof subscriptions.$inferInsert, "createdAt" | "updatedAt"> & {
  stripeStateAtSec: number;
};

export async function findSubscription(db: Db, stripeSubscriptionId: string): Promise<SubscriptionRow | null> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId));
  return row ?? null;
}

/**
 * Writes a subscription's state unless we hold newer state (re-checked in the statement itself: a
 * concurrent consumer may have written newer state) or it would bring a canceled one back. Null: not applied.
 */
export async function upsertSubscriptionState(db: Db, state: SubscriptionState): Promise<SubscriptionRow | null> {
  const [row] = await db
    .insert(subscriptions)
    .values(state)
    .onConflictDoUpdate({
      target: subscriptions.stripeSubscriptionId,
      set: {
        customerId: sql`coalesce(${subscriptions.customerId}, excluded.customer_id)`,
        product: state.product,
        tier: state.tier,
        status: state.status,
        currentPeriodEnd: sql`coalesce(excluded.current_period_end, ${subscriptions.currentPeriodEnd})`,
        cancelAtPeriodEnd: state.cancelAtPeriodEnd,
        stripeStateAtSec: state.stripeStateAtSec,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${subscriptions.stripeStateAtSec} <= excluded.stripe_state_at_sec
        and (${subscriptions.status} <> 'canceled' or excluded.status = 'canceled')`,
    })
    .returning();
  return row ?? null;
}

export async function setSubscriptionCustomer(db: Db, id: string, customerId: string) {
  await db.update(subscriptions).set({ customerId }).where(eq(subscriptions.id, id));
}

/** A paid invoice: the period runs at least to its end (never shortened). Null: subscription not known yet. */
export async function extendSubscriptionPeriod(
  db: Db,
  stripeSubscriptionId: string,
  periodEnd: Date,
): Promise<{ id: string } | null> {
  const [sub] = await db
    .update(subscriptions)
    .set({
      currentPeriodEnd: sql`greatest(${subscriptions.currentPeriodEnd}, ${periodEnd.toISOString()}::timestamptz)`,
      updatedAt: sql`now()`,
    })
    .where(eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId))
    .returning({ id: subscriptions.id });
  return sub ?? null;
}

/**
 * Unsettled subscriptions whose period should have rolled over already, not heard of for a week, or
 * whose license still ends before the period does (a renewal we have not seen paid: asked each night).
 */
export async function listStaleSubscriptions(db: Db, limit: number) {
  const licenseLags = sql`exists (select 1 from ${licenses} where ${licenses.subscriptionId} = ${subscriptions.id}
    and ${licenses.status} <> 'revoked' and ${licenses.expiresAt} < ${subscriptions.currentPeriodEnd})`;
  return db
    .select({ stripeSubscriptionId: subscriptions.stripeSubscriptionId })
    .from(subscriptions)
    .where(
      and(
        inArray(subscriptions.status, [...UNSETTLED_STRIPE_STATUSES]),
        or(
          lt(subscriptions.currentPeriodEnd, sql`now()`),
          lt(subscriptions.updatedAt, sql`now() - interval '7 days'`),
          licenseLags,
        ),
      ),
    )
    .limit(limit);
}

export interface UserSubscription {
  id: string;
  product: Product;
  tier: SubscriptionRow["tier"];
  stripeStatus: StripeSubscriptionStatus;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  license: { id: string; status: string; key: string | null } | null;
}

/**
 * The user's subscription to `product` that matters — a live one first (so a later abandoned or
 * expired attempt never hides it), else the one ending last, else the newest row — with its newest
 * license and that license's key, picked as activate/validate pick it (current tier, then latest
 * expiry, then latest issued). One statement: the status endpoint is one database round trip.
 */
export async function findUserSubscription(
  db: Db,
  logtoUserId: string,
  product: Product,
): Promise<UserSubscription | null> {
  const license = db
    .select({ id: licenses.id, status: licenses.status, tier: licenses.tier })
    .from(licenses)
    .where(eq(licenses.subscriptionId, subscriptions.id))
    .orderBy(desc(licenses.createdAt))
    .limit(1)
    .as("license");
  const token = db
    .select({ key: licenseTokens.key })
    .from(licenseTokens)
    .where(eq(licenseTokens.licenseId, license.id))
    .orderBy(...newestTokenOrder(license.tier))
    .limit(1)
    .as("token");
  const [row] = await db
    .select({
      id: subscriptions.id,
      product: subscriptions.product,
      tier: subscriptions.tier,
      stripeStatus: subscriptions.status,
      currentPeriodEnd: subscriptions.currentPeriodEnd,
      cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
      licenseId: license.id,
      licenseStatus: license.status,
      key: token.key,
    })
    .from(subscriptions)
    .innerJoin(customers, eq(subscriptions.customerId, customers.id))
    .leftJoinLateral(license, sql`true`)
    .leftJoinLateral(token, sql`true`)
    .where(and(eq(customers.logtoUserId, logtoUserId), eq(subscriptions.product, product)))
    .orderBy(
      sql`case when ${inArray(subscriptions.status, [...LIVE_STRIPE_STATUSES])} then 0 else 1 end`,
      sql`${subscriptions.currentPeriodEnd} desc nulls last`,
      desc(subscriptions.createdAt),
    )
    .limit(1);
  if (!row) return null;
  const { licenseId, licenseStatus, key, ...subscription } = row;
  return {
    ...subscription,
    license: licenseId && licenseStatus ? { id: licenseId, status: licenseStatus, key: key ?? null } : null,
  };
}
