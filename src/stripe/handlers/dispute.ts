import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { payments } from "../../db/schema";
import { reinstateLicense, revokeLicense, suspendLicense } from "../../services/licenses/set-license-status";
import { idOf } from "../object-id";
import { licenseOfPayment } from "../payment-license";
import { ignored, type HandlerResult } from "./types";

/** Closed in the buyer's favour (`lost`) revokes; closed in ours reinstates. */
const REINSTATING = new Set(["won", "warning_closed"]);

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
  const [before] = await ctx.db
    .select({ closedSec: payments.disputeClosedSec })
    .from(payments)
    .where(eq(payments.paymentIntentId, paymentIntentId));
  await recordDispute(ctx, { paymentIntentId, licenseId, stripeSubscriptionId, chargeId: idOf(dispute.charge), status: dispute.status, closedSec: closing ? event.created : null });

  if (!closing) {
    if (before?.closedSec != null && event.created <= before.closedSec) return ignored("dispute already closed: not suspended again");
    await suspendLicense(ctx, licenseId);
  } else if (REINSTATING.has(dispute.status)) {
    await reinstateLicense(ctx, licenseId, ["suspended"]);
  } else if (dispute.status === "lost") {
    await revokeLicense(ctx, licenseId, "dispute_lost");
  } else {
    return ignored(`dispute closed as ${dispute.status}`);
  }
  return { outcome: "processed" };
}

async function recordDispute(
  ctx: Ctx,
  d: { paymentIntentId: string; licenseId: string; stripeSubscriptionId: string | null; chargeId: string | null; status: string; closedSec: number | null },
) {
  await ctx.db
    .insert(payments)
    .values({
      paymentIntentId: d.paymentIntentId,
      licenseId: d.licenseId,
      stripeSubscriptionId: d.stripeSubscriptionId,
      chargeId: d.chargeId,
      disputeStatus: d.status,
      disputeClosedSec: d.closedSec,
    })
    .onConflictDoUpdate({
      target: payments.paymentIntentId,
      set: {
        licenseId: sql`coalesce(${payments.licenseId}, excluded.license_id)`,
        stripeSubscriptionId: sql`coalesce(${payments.stripeSubscriptionId}, excluded.stripe_subscription_id)`,
        chargeId: sql`coalesce(${payments.chargeId}, excluded.charge_id)`,
        // Once closed, a late `created` must not make the dispute look open again.
        disputeStatus: sql`case when ${payments.disputeClosedSec} is null or excluded.dispute_closed_sec is not null then excluded.dispute_status else ${payments.disputeStatus} end`,
        disputeClosedSec: sql`greatest(${payments.disputeClosedSec}, excluded.dispute_closed_sec)`,
      },
    });
}
