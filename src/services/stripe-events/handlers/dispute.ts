import type Stripe from "stripe";
import type { Ctx } from "../../../context";
import { findPayment, recordPayment } from "../../../db/queries/payments";
import { idOf } from "../../../integrations/stripe/payload";
import { reinstateLicense, revokeLicense, suspendLicense } from "../../licenses/set-license-status";
import { ignored, type HandlerResult } from "../handler-result";
import { licenseOfPayment } from "../payment-license";

/** Closed in the buyer's favour (`lost`) revokes; closed in ours reinstates. */
const REINSTATING: ReadonlySet<string> = new Set(["won", "warning_closed"]);

/**
 * A chargeback: the license is suspended while the dispute is open; a won (or inquiry-only) dispute
 * reinstates it, a lost one revokes it. The license is found as for refunds, so subscription
 * payments are covered too. The close is recorded: a `created` older than it (late delivery or a
 * replay) does not suspend again.
 */
export async function handleDispute(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const dispute = event.data.object as Stripe.Dispute;
  const paymentIntentId = idOf(dispute.payment_intent);
  if (!paymentIntentId) return ignored("dispute without a payment intent");
  const { licenseId, stripeSubscriptionId } = await licenseOfPayment(ctx, paymentIntentId);
  if (!licenseId) return ignored("dispute on a payment of no license we know");

  const closing = event.type === "charge.dispute.closed";
  const before = await findPayment(ctx.db, paymentIntentId);
  await recordPayment(ctx.db, {
    paymentIntentId,
    licenseId,
    stripeSubscriptionId,
    chargeId: idOf(dispute.charge),
    disputeStatus: dispute.status,
    disputeClosedSec: closing ? event.created : null,
  });

  if (!closing) {
    if (before?.disputeClosedSec != null && event.created <= before.disputeClosedSec)
      return ignored("dispute already closed: not suspended again");
    await suspendLicense(ctx, { licenseId });
  } else if (REINSTATING.has(dispute.status)) {
    await reinstateLicense(ctx, { licenseId, from: ["suspended"] });
  } else if (dispute.status === "lost") {
    await revokeLicense(ctx, { licenseId, reason: "dispute_lost" });
  } else {
    return ignored(`dispute closed as ${dispute.status}`);
  }
  return { outcome: "processed" };
}
