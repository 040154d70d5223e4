import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { payments } from "../../db/schema";
import { reinstateLicense, revokeLicense, suspendLicense } from "../../services/licenses/set-license-status";
import { idOf } from "../object-id";
import { ignored, type HandlerResult } from "./types";

/**
 * A chargeback: the license is suspended while the dispute is open; a won dispute reinstates it,
 * a lost one revokes it. The license is found through the payment intent, as for refunds.
 */
export async function handleDispute(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const dispute = event.data.object as Stripe.Dispute;
  const paymentIntentId = idOf(dispute.payment_intent);
  if (!paymentIntentId) return ignored("dispute without a payment intent");
  const [payment] = await ctx.db.select().from(payments).where(eq(payments.paymentIntentId, paymentIntentId));
  if (!payment?.licenseId) return ignored("dispute on a payment we did not record");

  if (event.type === "charge.dispute.created") {
    await suspendLicense(ctx, payment.licenseId);
  } else if (dispute.status === "won") {
    await reinstateLicense(ctx, payment.licenseId, ["suspended"]);
  } else if (dispute.status === "lost") {
    await revokeLicense(ctx, payment.licenseId, "dispute_lost");
  } else {
    return ignored(`dispute closed as ${dispute.status}`);
  }
  return { outcome: "processed" };
}
