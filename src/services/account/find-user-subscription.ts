import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
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
 * The user's subscription to `product` that matters: a live one first (so a later abandoned or
 * expired attempt never hides it), else the one ending last, else the newest row.
 */
export async function findUserSubscription(db: Db, logtoUserId: string, product: Product): Promise<UserSubscription | null> {
  const [row] = await db
    .select({
      id: subscriptions.id,
      product: subscriptions.product,
      tier: subscriptions.tier,
      stripeStatus: subscriptions.status,
      currentPeriodEnd: subscriptions.currentPeriodEnd,
      cancelAtPeriodEnd: subscriptions.cancelAtPeriodEnd,
    })
    .from(subscriptions)
    .innerJoin(customers, eq(subscriptions.customerId, customers.id))
    .where(and(eq(customers.logtoUserId, logtoUserId), eq(subscriptions.product, product)))
    .orderBy(
      sql`case when ${subscriptions.status} in ${LIVE_STRIPE_STATUSES} then 0 else 1 end`,
      sql`${subscriptions.currentPeriodEnd} desc nulls last`,
      desc(subscriptions.createdAt),
    )
    .limit(1);
  if (!row) return null;

  // The newest license of the subscription, with its newest token (null key while none is signed yet).
  const [license] = await db
    .select({ id: licenses.id, status: licenses.status, key: licenseTokens.key })
    .from(licenses)
    .leftJoin(licenseTokens, eq(licenseTokens.licenseId, licenses.id))
    .where(eq(licenses.subscriptionId, row.id))
    .orderBy(
      desc(licenses.createdAt),
      sql`${licenseTokens.issuedAt} desc nulls last`,
      sql`${licenseTokens.expiresAt} desc nulls last`,
    )
    .limit(1);
  return { ...row, license: license ?? null };
}
