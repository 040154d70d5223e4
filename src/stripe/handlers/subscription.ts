import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { alignLicenseTier, findLicenseOfSubscription } from "../../services/licenses/update-license-terms";
import { syncSubscription } from "../../services/subscriptions/sync-subscription";
import type { HandlerResult } from "./types";

/**
 * customer.subscription.created|updated|deleted: status, tier, period end and cancel flag, never
 * letting an older event overwrite newer state. A tier change re-issues the license's token.
 */
export async function handleSubscriptionChange(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const sub = event.data.object as Stripe.Subscription;
  const { row, applied } = await syncSubscription(ctx, sub, event.created);
  if (!applied) return { outcome: "ignored", note: "older than the state we hold" };
  const license = await findLicenseOfSubscription(ctx, row.id);
  if (license) await alignLicenseTier(ctx, license, row.tier);
  return { outcome: "processed" };
}
