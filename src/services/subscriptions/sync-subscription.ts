import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { subscriptions } from "../../db/schema";
import { fromSec } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { PermanentEventError } from "../../stripe/event-errors";
import { idOf } from "../../stripe/object-id";
import { resolveSubscriptionProduct, type ProductTier } from "../../stripe/resolve-product";
import { upsertCustomer } from "../customers/upsert-customer";

export type SubscriptionRow = typeof subscriptions.$inferSelect;

export interface SyncHint {
  productTier?: ProductTier | null;
  customerId?: string | null;
}

export interface SyncResult {
  row: SubscriptionRow;
  /** False when what we hold is newer than this state (an older event arriving late). */
  applied: boolean;
  previousTier: string | null;
}

/** The billing period lives on the items since the 2025 API versions. */
export function periodEndOf(sub: Stripe.Subscription): Date | null {
  const ends = (sub.items?.data ?? []).map((i) => i.current_period_end).filter((n): n is number => typeof n === "number");
  return ends.length ? fromSec(Math.max(...ends)) : null;
}


/**
 * Stripe's timestamps are whole seconds and an API read is stamped with our clock: states this close
 * cannot be ordered by time, so they are settled by re-reading the subscription from Stripe.
 */
const TIE_WINDOW_SEC = 2;

/**
 * Applies a subscription's state as of `stateAtSec` (the event's `created`, or the time of an API
 * read). Older state never overwrites newer; near-ties are settled by Stripe's current truth. A
 * canceled subscription never comes back.
 */
export async function syncSubscription(
  ctx: Ctx,
  given: Stripe.Subscription,
  stateAtSec: number,
  hint: SyncHint = {},
  options: { fromApi?: boolean } = {},
): Promise<SyncResult> {
  const [existing] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, given.id));
  if (existing && stateAtSec < existing.stripeStateAtSec - TIE_WINDOW_SEC) {
    ctx.log.info("subscription state is older than ours: skipped", { stripeSubscriptionId: given.id });
    return { row: existing, applied: false, previousTier: existing.tier };
  }
  let sub = given;
  let stamp = stateAtSec;
  if (existing && Math.abs(stateAtSec - existing.stripeStateAtSec) <= TIE_WINDOW_SEC && !options.fromApi) {
    sub = await ctx.stripe.subscriptions.retrieve(given.id);
    stamp = Math.max(stateAtSec, existing.stripeStateAtSec); // the truth now is at least as new as both
  }

  const productTier = (await resolveSubscriptionProduct(ctx, sub)) ?? hint.productTier ?? (existing ? { product: existing.product, tier: existing.tier } : null);
  if (!productTier) throw new PermanentEventError("unmapped_product", `subscription ${sub.id} maps to no product and tier`);
  const customerId =
    hint.customerId ?? existing?.customerId ?? (idOf(sub.customer) ? await upsertCustomer(ctx, { stripeCustomerId: idOf(sub.customer) }) : null);

  const values = {
    id: newId("sbs"),
    stripeSubscriptionId: sub.id,
    customerId,
    product: productTier.product,
    tier: productTier.tier,
    status: sub.status,
    currentPeriodEnd: periodEndOf(sub),
    cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
    stripeStateAtSec: stamp,
  };
  const [row] = await ctx.db
    .insert(subscriptions)
    .values(values)
    .onConflictDoUpdate({
      target: subscriptions.stripeSubscriptionId,
      set: {
        customerId: sql`coalesce(${subscriptions.customerId}, excluded.customer_id)`,
        product: values.product,
        tier: values.tier,
        status: values.status,
        currentPeriodEnd: sql`coalesce(excluded.current_period_end, ${subscriptions.currentPeriodEnd})`,
        cancelAtPeriodEnd: values.cancelAtPeriodEnd,
        stripeStateAtSec: values.stripeStateAtSec,
        updatedAt: sql`now()`,
      },
      // Re-checked in the statement itself: a concurrent consumer may have written newer state.
      setWhere: sql`${subscriptions.stripeStateAtSec} <= excluded.stripe_state_at_sec
        and (${subscriptions.status} <> 'canceled' or excluded.status = 'canceled')`,
    })
    .returning();
  if (!row) {
    const [current] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, sub.id));
    return { row: current!, applied: false, previousTier: current!.tier };
  }
  return { row, applied: true, previousTier: existing?.tier ?? null };
}

/** Reads the subscription from Stripe now and applies it: the truth when events disagree or are missing. */
export async function refreshSubscription(ctx: Ctx, stripeSubscriptionId: string, hint: SyncHint = {}): Promise<SyncResult> {
  const sub = await ctx.stripe.subscriptions.retrieve(stripeSubscriptionId);
  return syncSubscription(ctx, sub, Math.floor(ctx.clock.now().getTime() / 1000), hint, { fromApi: true });
}
