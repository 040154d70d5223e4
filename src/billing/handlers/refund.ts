import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { findLicenseIdOfStripeSubscription } from "../../db/queries/licenses";
import { findPayment, recordPayment } from "../../db/queries/payments";
import { idOf, subscriptionOfInvoice } from "../../integrations/stripe/payload";
import { revokeLicense } from "../../services/licenses/set-license-status";
import { ignored, type HandlerResult } from "../handler-result";

/**
 * charge.refunded: a full refund revokes the license that charge paid for; a partial one is only
 * recorded. Since the 2025 API versions a charge names no invoice: we go from its payment intent
 * to what we recorded at checkout, else ask Stripe which invoice (so which subscription) it paid.
 * The refund is recorded either way, so a checkout applied later still sees it.
 */
export async function handleChargeRefunded(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const charge = event.data.object as Stripe.Charge;
  const paymentIntentId = idOf(charge.payment_intent);
  if (!paymentIntentId) return ignored("charge without a payment intent: not one of ours");
  const fullyRefunded = charge.refunded === true || (charge.amount > 0 && charge.amount_refunded >= charge.amount);

  const known = await findPayment(ctx.db, paymentIntentId);
  let licenseId = known?.licenseId ?? null;
  let stripeSubscriptionId = known?.stripeSubscriptionId ?? null;
  if (!licenseId && !stripeSubscriptionId) {
    const invoice = await ctx.stripe.findInvoiceOfPayment(paymentIntentId);
    stripeSubscriptionId = invoice && subscriptionOfInvoice(invoice);
  }
  if (!licenseId && stripeSubscriptionId) licenseId = await findLicenseIdOfStripeSubscription(ctx.db, stripeSubscriptionId);

  await recordPayment(ctx.db, {
    paymentIntentId,
    chargeId: charge.id,
    licenseId,
    stripeSubscriptionId,
    amountRefunded: charge.amount_refunded,
    fullyRefunded,
  });

  if (!fullyRefunded) return { outcome: "processed", note: "partial refund: license kept" };
  if (!licenseId) return { outcome: "processed", note: "refund recorded before its checkout: revoked when the license is issued" };
  await revokeLicense(ctx, { licenseId, reason: "refund" });
  return { outcome: "processed" };
}
