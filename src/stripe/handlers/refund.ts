import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { licenses, payments, subscriptions } from "../../db/schema";
import { revokeLicense } from "../../services/licenses/set-license-status";
import { idOf } from "../object-id";
import { ignored, type HandlerResult } from "./types";

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

  const [known] = await ctx.db.select().from(payments).where(eq(payments.paymentIntentId, paymentIntentId));
  let licenseId = known?.licenseId ?? null;
  let stripeSubscriptionId = known?.stripeSubscriptionId ?? null;
  if (!licenseId && !stripeSubscriptionId) stripeSubscriptionId = await subscriptionPaidBy(ctx, paymentIntentId);
  if (!licenseId && stripeSubscriptionId) licenseId = await licenseOfStripeSubscription(ctx, stripeSubscriptionId);

  await ctx.db
    .insert(payments)
    .values({
      paymentIntentId,
      chargeId: charge.id,
      licenseId,
      stripeSubscriptionId,
      amountRefunded: charge.amount_refunded,
      fullyRefundedAt: fullyRefunded ? sql`now()` : null,
    })
    .onConflictDoUpdate({
      target: payments.paymentIntentId,
      set: {
        chargeId: charge.id,
        licenseId: sql`coalesce(${payments.licenseId}, excluded.license_id)`,
        stripeSubscriptionId: sql`coalesce(${payments.stripeSubscriptionId}, excluded.stripe_subscription_id)`,
        amountRefunded: sql`greatest(${payments.amountRefunded}, excluded.amount_refunded)`,
        fullyRefundedAt: sql`coalesce(${payments.fullyRefundedAt}, excluded.fully_refunded_at)`,
      },
    });

  if (!fullyRefunded) return { outcome: "processed", note: "partial refund: license kept" };
  if (!licenseId) return { outcome: "processed", note: "refund recorded before its checkout: revoked when the license is issued" };
  await revokeLicense(ctx, licenseId, "refund");
  return { outcome: "processed" };
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

async function licenseOfStripeSubscription(ctx: Ctx, stripeSubscriptionId: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ id: licenses.id })
    .from(licenses)
    .innerJoin(subscriptions, eq(licenses.subscriptionId, subscriptions.id))
    .where(eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId))
    .limit(1);
  return row?.id ?? null;
}
