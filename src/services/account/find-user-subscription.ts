import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { newestTokenOrder } from "../../db/queries/licenses";
import { customers, licenses, licenseTokens, subscriptions } from "../../db/schema";
import type { Product } from "../../domain/products";

export interface UserSubscription {
  id: string;
  product: string;
  tier: string;
  stripeStatus: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  license: { id: string; status: string; key: string | null } | null;
}

const LIVE_STRIPE_STATUSES = sql`('active', 'trialing', 'past_due', 'unpaid')`;

/**
 * The user's subscription to `product` that matters — a live one first (so a later abandoned or
 * expired attempt never hides it), else the one ending last, else the newest row — with its newest
 * license and that license's key, picked as activate/validate pick it (current tier, then latest
 * expiry, then latest issued). One statement: the status endpoint is one database round trip.
 */
export async function findUserSubscription(db: Db, logtoUserId: string, product: Product): Promise<UserSubscription | null> {
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
      sql`case when ${subscriptions.status} in ${LIVE_STRIPE_STATUSES} then 0 else 1 end`,
      sql`${subscriptions.currentPeriodEnd} desc nulls last`,
      desc(subscriptions.createdAt),
    )
    .limit(1);
  if (!row) return null;
  const { licenseId, licenseStatus, key, ...subscription } = row;
  return { ...subscription, license: licenseId && licenseStatus ? { id: licenseId, status: licenseStatus, key: key ?? null } : null };
}
