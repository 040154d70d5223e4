import type Stripe from "stripe";
import type { Ctx } from "../../../context";
import { upsertCustomer } from "../../../db/queries/customers";
import { claimEarlierDisputes } from "../../../db/queries/disputes";
import { selectPendingLicenseEmails } from "../../../db/queries/email-outbox";
import { claimEarlierRefunds, linkSubscriptionPayments, recordPayment } from "../../../db/queries/payments";
import { findSubscription, setSubscriptionCustomer } from "../../../db/queries/subscriptions";
import { PermanentEventError } from "../../../errors";
import { checkoutOwner, idOf } from "../../../integrations/stripe/payload";
import { addDays, fromSec } from "../../../lib/clock";
import { issueLicense } from "../../licenses/issue-license";
import { revokeLicense } from "../../licenses/set-license-status";
import { applyDisputes } from "../apply-disputes";
import { ignored, type HandlerResult } from "../handler-result";
import { resolveCheckoutProduct } from "../resolve-product";
import { refreshSubscription, type SubscriptionRow, type SyncHint } from "../sync-subscription";

/** One-time purchases (payment mode) run this long unless the session's metadata says `duration_days`. */
const ONE_TIME_LICENSE_DAYS = 365;

/**
 * A paid checkout (or its delayed payment succeeding): customer, subscription and license, and
 * the key by email. Idempotent per checkout session; a refund recorded earlier still revokes, and a
 * dispute recorded earlier still suspends (or revokes, when already lost).
 */
export async function handleCheckoutPaid(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.payment_status !== "paid" && session.payment_status !== "no_payment_required") {
    return ignored(`payment_status ${session.payment_status}: waiting for async_payment_succeeded`);
  }
  if (session.mode === "setup") return ignored("setup-mode session: nothing was bought");

  const productTier = await resolveCheckoutProduct(ctx, session);
  if (!productTier)
    throw new PermanentEventError("unmapped_product", `checkout session ${session.id} maps to no product and tier`);
  const email = session.customer_details?.email ?? session.customer_email;
  if (!email) throw new PermanentEventError("invalid_event", `checkout session ${session.id} has no buyer email`);

  const customerId = await upsertCustomer(ctx.db, {
    stripeCustomerId: idOf(session.customer),
    email,
    logtoUserId: checkoutOwner(session),
  });

  const stripeSubscriptionId = idOf(session.subscription);
  let subscription: SubscriptionRow | null = null;
  let expiresAt: Date;
  if (stripeSubscriptionId) {
    subscription = await currentSubscription(ctx, stripeSubscriptionId, { productTier, customerId });
    const periodEnd = subscription.currentPeriodEnd ?? addDays(fromSec(event.created), 31);
    expiresAt = addDays(periodEnd, ctx.config.licenseGraceDays);
  } else {
    const days = Number(session.metadata?.duration_days) || ONE_TIME_LICENSE_DAYS;
    expiresAt = addDays(fromSec(session.created), days);
  }

  const { license } = await issueLicense(ctx, {
    email,
    product: productTier.product,
    tier: subscription ? subscription.tier : productTier.tier,
    expiresAt,
    customerId,
    subscriptionId: subscription?.id ?? null,
    checkoutSessionId: session.id,
    sendEmail: true,
  });

  const paymentIntentId = idOf(session.payment_intent);
  if (paymentIntentId)
    await recordPayment(ctx.db, {
      paymentIntentId,
      licenseId: license.id,
      checkoutSessionId: session.id,
      stripeSubscriptionId,
    });
  // One round trip: link the payments of invoices paid before the license existed, claim refunds
  // and disputes recorded before it, read the emails still to send.
  const [, refunds, disputes, pending] = await ctx.db.batch([
    linkSubscriptionPayments(ctx.db, stripeSubscriptionId, license.id),
    claimEarlierRefunds(ctx.db, license.id, { paymentIntentId, stripeSubscriptionId, checkoutSessionId: session.id }),
    claimEarlierDisputes(ctx.db, license.id, { paymentIntentId, stripeSubscriptionId }),
    selectPendingLicenseEmails(ctx.db, license.id),
  ]);
  if (refunds.length > 0) await revokeLicense(ctx, { licenseId: license.id, reason: "refund" });
  if (disputes.length > 0) await applyDisputes(ctx, license.id, disputes);

  return { outcome: "processed", emails: pending.map((r) => r.id) };
}

/** The subscription row as we know it, or Stripe's current truth when we have not seen it yet. */
async function currentSubscription(ctx: Ctx, stripeSubscriptionId: string, hint: SyncHint): Promise<SubscriptionRow> {
  const known = await findSubscription(ctx.db, stripeSubscriptionId);
  if (known?.currentPeriodEnd) {
    if (!known.customerId && hint.customerId) await setSubscriptionCustomer(ctx.db, known.id, hint.customerId);
    return known;
  }
  return (await refreshSubscription(ctx, { stripeSubscriptionId, hint })).row;
}
