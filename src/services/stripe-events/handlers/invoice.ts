import type Stripe from "stripe";
import type { Ctx } from "../../../context";
import { findLicenseOfSubscription } from "../../../db/queries/licenses";
import { recordPayment } from "../../../db/queries/payments";
import { extendSubscriptionPeriod } from "../../../db/queries/subscriptions";
import { paidPeriodEnd, paymentIntentsOfInvoice, subscriptionOfInvoice } from "../../../integrations/stripe/payload";
import { addDays } from "../../../lib/clock";
import { extendLicense } from "../../licenses/update-license-terms";
import { ignored, type HandlerResult } from "../handler-result";

/**
 * A paid invoice extends the subscription's period and gives the license a token with the new
 * expiry. Before the checkout is applied there is no license yet: the checkout reads the period
 * from Stripe itself, so nothing is lost by doing nothing here.
 */
export async function handleInvoicePaid(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const invoice = event.data.object as Stripe.Invoice;
  const stripeSubscriptionId = subscriptionOfInvoice(invoice);
  if (!stripeSubscriptionId) return ignored("invoice of no subscription");
  const periodEnd = paidPeriodEnd(invoice);
  if (!periodEnd) return ignored("invoice without a service period");

  const sub = await extendSubscriptionPeriod(ctx.db, stripeSubscriptionId, periodEnd);
  const license = sub ? await findLicenseOfSubscription(ctx.db, sub.id) : null;
  // Which payment intent paid which subscription (and license): a later refund or dispute of it
  // needs no Stripe call. Not expanded in the payload: asked once here, where a failure is retried.
  const intents = invoice.payments
    ? paymentIntentsOfInvoice(invoice)
    : invoice.id
      ? await ctx.stripe.listInvoicePaymentIntents(invoice.id)
      : [];
  for (const paymentIntentId of intents)
    await recordPayment(ctx.db, { paymentIntentId, stripeSubscriptionId, licenseId: license?.id ?? null });
  if (!sub) return ignored("subscription not known yet: the checkout will read its period from Stripe");
  if (!license) return ignored("no license for this subscription yet");
  const token = await extendLicense(ctx, {
    licenseId: license.id,
    expiresAt: addDays(periodEnd, ctx.config.licenseGraceDays),
  });
  if (!token) return ignored("license is revoked: not extended");
  ctx.log.info("license renewed", { licenseId: license.id, eventId: event.id });
  return { outcome: "processed" };
}
