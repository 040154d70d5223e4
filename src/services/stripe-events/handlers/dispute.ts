import type Stripe from "stripe";
import type { Ctx } from "../../../context";
import { recordDisputeState } from "../../../db/queries/disputes";
import { recordPayment } from "../../../db/queries/payments";
import { isOpenDispute } from "../../../domain/dispute-status";
import { idOf } from "../../../integrations/stripe/payload";
import { applyDisputes } from "../apply-disputes";
import { ignored, type HandlerResult } from "../handler-result";
import { licenseOfPayment } from "../payment-license";

/**
 * charge.dispute.created|updated|closed, by the dispute's status (an appeal moves a lost dispute on
 * through `updated` events): each dispute's state is recorded, older events never overwriting newer
 * ones, and the license is judged with all its disputes (apply-disputes.ts). A dispute on a payment
 * whose checkout is not applied yet is remembered by payment intent: the checkout applies it.
 */
export async function handleDispute(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const dispute = event.data.object as Stripe.Dispute;
  const paymentIntentId = idOf(dispute.payment_intent);
  if (!paymentIntentId) return ignored("dispute without a payment intent");
  const { licenseId, stripeSubscriptionId } = await licenseOfPayment(ctx, paymentIntentId);

  const closing = !isOpenDispute(dispute.status);
  await recordPayment(ctx.db, {
    paymentIntentId,
    licenseId,
    stripeSubscriptionId,
    chargeId: idOf(dispute.charge),
    disputeStatus: dispute.status,
    disputeClosedSec: closing ? event.created : null,
  });
  const { row, applied } = await recordDisputeState(ctx.db, {
    id: dispute.id,
    paymentIntentId,
    stripeSubscriptionId,
    licenseId,
    status: dispute.status,
    stateAtSec: event.created,
  });
  if (!applied) return ignored(`older than the dispute's recorded state (${row.status}): nothing changes`);
  if (!row.licenseId) return ignored("dispute on a payment of no license yet: applied when its license is issued");
  return { outcome: "processed", note: await applyDisputes(ctx, row.licenseId, [row]) };
}
