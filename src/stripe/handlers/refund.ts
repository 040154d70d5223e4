import { sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { payments } from "../../db/schema";
import { revokeLicense } from "../../services/licenses/set-license-status";
import { idOf } from "../object-id";
import { licenseOfPayment } from "../payment-license";
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

  const { licenseId, stripeSubscriptionId } = await licenseOfPayment(ctx, paymentIntentId);

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
