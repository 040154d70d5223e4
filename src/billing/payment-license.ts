import type { Ctx } from "../context";
import { findLicenseIdOfStripeSubscription } from "../db/queries/licenses";
import { findPayment } from "../db/queries/payments";
import { subscriptionOfInvoice } from "../integrations/stripe/payload";

export interface PaymentLink {
  licenseId: string | null;
  stripeSubscriptionId: string | null;
}

/**
 * What a payment intent paid for: what we recorded at checkout or when its invoice was paid, else
 * Stripe's answer (payment intent → invoice payment → invoice → subscription → license). Since the
 * 2025 API versions neither a charge nor a dispute names its invoice. `recorded`: the links already
 * read (no second read).
 */
export async function licenseOfPayment(ctx: Ctx, paymentIntentId: string, recorded?: PaymentLink): Promise<PaymentLink> {
  const known = recorded ?? (await findPayment(ctx.db, paymentIntentId));
  let licenseId = known?.licenseId ?? null;
  let stripeSubscriptionId = known?.stripeSubscriptionId ?? null;
  if (!licenseId && !stripeSubscriptionId) {
    const invoice = await ctx.stripe.findInvoiceOfPayment(paymentIntentId);
    stripeSubscriptionId = invoice && subscriptionOfInvoice(invoice);
  }
  if (!licenseId && stripeSubscriptionId) licenseId = await findLicenseIdOfStripeSubscription(ctx.db, stripeSubscriptionId);
  return { licenseId, stripeSubscriptionId };
}
