import type { Ctx } from "../../context";
import { findLicenseIdOfStripeSubscription } from "../../db/queries/licenses";
import { findPayment } from "../../db/queries/payments";
import { subscriptionOfInvoice } from "../../integrations/stripe/payload";

export interface PaymentLink {
  licenseId: string | null;
  stripeSubscriptionId: string | null;
}

/**
 * What a payment intent paid for: what we recorded at checkout or when its invoice was paid, else
 * Stripe's answer (payment intent → invoice payment → invoice → subscription → license). Since the
 * 2025 API versions neither a charge nor a dispute names its invoice.
 */
export async function licenseOfPayment(ctx: Ctx, paymentIntentId: string): Promise<PaymentLink> {
  const known = await findPayment(ctx.db, paymentIntentId);
  let licenseId = known?.licenseId ?? null;
  let stripeSubscriptionId = known?.stripeSubscriptionId ?? null;
  if (!licenseId && !stripeSubscriptionId) stripeSubscriptionId = await subscriptionOfPayment(ctx, paymentIntentId);
  if (!licenseId && stripeSubscriptionId)
    licenseId = await findLicenseIdOfStripeSubscription(ctx.db, stripeSubscriptionId);
  return { licenseId, stripeSubscriptionId };
}

/** The subscription a payment paid, from Stripe (for a payment no invoice or checkout told us about). */
export async function subscriptionOfPayment(ctx: Ctx, paymentIntentId: string): Promise<string | null> {
  const invoice = await ctx.stripe.findInvoiceOfPayment(paymentIntentId);
  return invoice && subscriptionOfInvoice(invoice);
}
