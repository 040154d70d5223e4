import type Stripe from "stripe";
import type { Ctx } from "../../../context";
import { recordPayment } from "../../../db/queries/payments";
import { idOf } from "../../../integrations/stripe/payload";
import { revokeLicense } from "../../licenses/set-license-status";
import { ignored, type HandlerResult } from "../handler-result";
import { subscriptionOfPayment } from "../payment-license";

/**
 * charge.refunded: a full refund revokes the license that charge paid for; a partial one is only
 * recorded. The refund is recorded either way, so a checkout applied later still sees it.
 */
export async function handleChargeRefunded(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const charge = event.data.object as Stripe.Charge;
  const paymentIntentId = idOf(charge.payment_intent);
  if (!paymentIntentId) return ignored("charge without a payment intent: not one of ours");
  const fullyRefunded = charge.refunded === true || (charge.amount > 0 && charge.amount_refunded >= charge.amount);

  // One round trip when the payment's license is known (recorded at checkout or invoice paid):
  // record the refund and read the link back. Only for a payment we never saw is Stripe asked for
  // its subscription, and the second write takes that subscription's license itself.
  const refundFacts = { paymentIntentId, chargeId: charge.id, amountRefunded: charge.amount_refunded, fullyRefunded };
  let { licenseId, stripeSubscriptionId } = await recordPayment(ctx.db, refundFacts);
  if (!licenseId) {
    stripeSubscriptionId ??= await subscriptionOfPayment(ctx, paymentIntentId);
    if (stripeSubscriptionId)
      ({ licenseId } = await recordPayment(ctx.db, {
        ...refundFacts,
        stripeSubscriptionId,
        licenseOfSubscription: true,
      }));
  }

  if (!fullyRefunded) return { outcome: "processed", note: "partial refund: license kept" };
  if (!licenseId)
    return { outcome: "processed", note: "refund recorded before its checkout: revoked when the license is issued" };
  await revokeLicense(ctx, { licenseId, reason: "refund" });
  return { outcome: "processed" };
}
