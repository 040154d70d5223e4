import type Stripe from "stripe";
import type { Ctx } from "../../../context";
import { findLicenseOfSubscription } from "../../../db/queries/licenses";
import { alignLicenseTier } from "../../licenses/update-license-terms";
import type { HandlerResult } from "../handler-result";
import { syncSubscription } from "../sync-subscription";

/**
 * customer.subscription.created|updated|deleted: status, tier, period end and cancel flag, never
 * letting an older event overwrite newer state. A tier change re-issues the license's token.
 */
export async function handleSubscriptionChange(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const subscription = event.data.object as Stripe.Subscription;
  const { row, applied } = await syncSubscription(ctx, { subscription, stateAtSec: event.created });
  if (!applied) return { outcome: "ignored", note: "older than the state we hold" };
  const license = await findLicenseOfSubscription(ctx.db, row.id);
  if (license) await alignLicenseTier(ctx, { license, tier: row.tier });
  return { outcome: "processed" };
}
