import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Ctx } from "../context";
import { licenses, payments, subscriptions } from "../db/schema";
import { idOf } from "./object-id";

export interface PaymentLink {
  licenseId: string | null;
  stripeSubscriptionId: string | null;
}

/**
 * What a payment intent paid for: what we recorded at checkout or when its invoice was paid, else
 * Stripe's answer (charge → payment intent → invoice payment → invoice → subscription → license).
 * Since the 2025 API versions neither a charge nor a dispute names its invoice.
 */
export async function licenseOfPayment(ctx: Ctx, paymentIntentId: string): Promise<PaymentLink> {
  const [known] = await ctx.db.select().from(payments).where(eq(payments.paymentIntentId, paymentIntentId));
  let licenseId = known?.licenseId ?? null;
  let stripeSubscriptionId = known?.stripeSubscriptionId ?? null;
  if (!licenseId && !stripeSubscriptionId) stripeSubscriptionId = await subscriptionPaidBy(ctx, paymentIntentId);
  if (!licenseId && stripeSubscriptionId) licenseId = await licenseOfStripeSubscription(ctx, stripeSubscriptionId);
  return { licenseId, stripeSubscriptionId };
}

async function subscriptionPaidBy(ctx: Ctx, paymentIntentId: string): Promise<string | null> {
  const list = await ctx.stripe.invoicePayments.list({
    payment: { type: "payment_intent", payment_intent: paymentIntentId },
    expand: ["data.invoice"],
    limit: 1,
  });
  const invoice = list.data[0]?.invoice;
  if (!invoice || typeof invoice === "string") return null;
  return idOf((invoice as Stripe.Invoice).parent?.subscription_details?.subscription);
}

export async function licenseOfStripeSubscription(ctx: Ctx, stripeSubscriptionId: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ id: licenses.id })
    .from(licenses)
    .innerJoin(subscriptions, eq(licenses.subscriptionId, subscriptions.id))
    .where(eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId))
    .limit(1);
  return row?.id ?? null;
}
