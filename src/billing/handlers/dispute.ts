import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { findPayment } from "../../db/queries/payments";
import { idOf } from "../../integrations/stripe/payload";
import { reinstateLicense, revokeLicense, suspendLicense } from "../../services/licenses/set-license-status";
import { ignored, type HandlerResult } from "../handler-result";

/**
 * A chargeback: the license is suspended while the dispute is open; a won dispute reinstates it,
 * a lost one revokes it. The license is found through the payment intent, as for refunds.
 */
export async function handleDispute(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const dispute = event.data.object as Stripe.Dispute;
  const paymentIntentId = idOf(dispute.payment_intent);
  if (!paymentIntentId) return ignored("dispute without a payment intent");
  const payment = await findPayment(ctx.db, paymentIntentId);
  if (!payment?.licenseId) return ignored("dispute on a payment we did not record");
  const licenseId = payment.licenseId;

  if (event.type === "charge.dispute.created") {
    await suspendLicense(ctx, { licenseId });
  } else if (dispute.status === "won") {
    await reinstateLicense(ctx, { licenseId, from: ["suspended"] });
  } else if (dispute.status === "lost") {
    await revokeLicense(ctx, { licenseId, reason: "dispute_lost" });
  } else {
    return ignored(`dispute closed as ${dispute.status}`);
  }
  return { outcome: "processed" };
}
