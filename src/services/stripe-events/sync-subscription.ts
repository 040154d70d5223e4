import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { upsertCustomer } from "../../db/queries/customers";
import { findSubscription, upsertSubscriptionState, type SubscriptionRow } from "../../db/queries/subscriptions";
import { PermanentEventError } from "../../errors";
import { idOf, periodEndOf, type ProductTier } from "../../integrations/stripe/payload";
import { toSec } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { resolveSubscriptionProduct } from "./resolve-product";
import { required } from "../../lib/required";

export type { SubscriptionRow };

export interface SyncHint {
  productTier?: ProductTier | null;
  customerId?: string | null;
}

export interface SyncResult {
  row: SubscriptionRow;
  /** False when what we hold is newer than this state (an older event arriving late). */
  applied: boolean;
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
  input: { subscription: Stripe.Subscription; stateAtSec: number; hint?: SyncHint; fromApi?: boolean },
): Promise<SyncResult> {
  const { stateAtSec, hint = {} } = input;
  const existing = await findSubscription(ctx.db, input.subscription.id);
  if (existing && stateAtSec < existing.stripeStateAtSec - TIE_WINDOW_SEC) {
    ctx.log.info("subscription state is older than ours: skipped", { stripeSubscriptionId: input.subscription.id });
    return { row: existing, applied: false };
  }
  let sub = input.subscription;
  let stamp = stateAtSec;
  if (existing && Math.abs(stateAtSec - existing.stripeStateAtSec) <= TIE_WINDOW_SEC && !input.fromApi) {
    sub = await ctx.stripe.retrieveSubscription(sub.id);
    stamp = Math.max(stateAtSec, existing.stripeStateAtSec); // the truth now is at least as new as both
  }

  const productTier =
    (await resolveSubscriptionProduct(ctx, sub)) ??
    hint.productTier ??
    (existing ? { product: existing.product, tier: existing.tier } : null);
  if (!productTier)
    throw new PermanentEventError("unmapped_product", `subscription ${sub.id} maps to no product and tier`);
  const stripeCustomerId = idOf(sub.customer);
  const customerId =
    hint.customerId ??
    existing?.customerId ??
    (stripeCustomerId ? await upsertCustomer(ctx.db, { stripeCustomerId }) : null);

  const row = await upsertSubscriptionState(ctx.db, {
    id: newId("sbs"),
    stripeSubscriptionId: sub.id,
    customerId,
    product: productTier.product,
    tier: productTier.tier,
    status: sub.status,
    currentPeriodEnd: periodEndOf(sub),
    cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
    stripeStateAtSec: stamp,
  });
  if (!row)
    return { row: required(await findSubscription(ctx.db, sub.id), "the newer subscription row"), applied: false };
  return { row, applied: true };
}

/** Reads the subscription from Stripe now and applies it: the truth when events disagree or are missing. */
export async function refreshSubscription(
  ctx: Ctx,
  input: { stripeSubscriptionId: string; hint?: SyncHint },
): Promise<SyncResult> {
  const subscription = await ctx.stripe.retrieveSubscription(input.stripeSubscriptionId);
  return syncSubscription(ctx, { subscription, stateAtSec: toSec(ctx.clock.now()), hint: input.hint, fromApi: true });
}
