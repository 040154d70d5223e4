import { and, eq, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { payments, subscriptions } from "../../db/schema";
import { addDays, fromSec } from "../../lib/clock";
import { upsertCustomer } from "../../services/customers/upsert-customer";
import { pendingLicenseEmails } from "../../services/email/license-email-outbox";
import { issueLicense } from "../../services/licenses/issue-license";
import { revokeLicense } from "../../services/licenses/set-license-status";
import { refreshSubscription, syncSubscription, type SubscriptionRow } from "../../services/subscriptions/sync-subscription";
import { PermanentEventError } from "../event-errors";
import { checkoutOwner } from "../checkout-owner";
import { resolveCheckoutProduct } from "../resolve-product";
import { idOf } from "../object-id";
import { ignored, type HandlerResult } from "./types";

/** One-time purchases (payment mode) run this long unless the session's metadata says `duration_days`. */
const ONE_TIME_LICENSE_DAYS = 365;

/**
 * A paid checkout (or its delayed payment succeeding): customer, subscription and license, and
 * the key by email. Idempotent per checkout session; a refund recorded earlier still revokes.
 */
export async function handleCheckoutPaid(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.payment_status !== "paid" && session.payment_status !== "no_payment_required") {
    return ignored(`payment_status ${session.payment_status}: waiting for async_payment_succeeded`);
  }
  if (session.mode === "setup") return ignored("setup-mode session: nothing was bought");

  const productTier = await resolveCheckoutProduct(ctx, session);
  if (!productTier) throw new PermanentEventError("unmapped_product", `checkout session ${session.id} maps to no product and tier`);
  const email = session.customer_details?.email ?? session.customer_email;
  if (!email) throw new PermanentEventError("invalid_event", `checkout session ${session.id} has no buyer email`);

  const customerId = await upsertCustomer(ctx, {
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
    tier: subscription ? (subscription.tier as typeof productTier.tier) : productTier.tier,
    expiresAt,
    customerId,
    subscriptionId: subscription?.id ?? null,
    checkoutSessionId: session.id,
    sendEmail: true,
  });

  const paymentIntentId = idOf(session.payment_intent);
  if (paymentIntentId) {
    await ctx.db
      .insert(payments)
      .values({ paymentIntentId, licenseId: license.id, checkoutSessionId: session.id, stripeSubscriptionId })
      .onConflictDoUpdate({ target: payments.paymentIntentId, set: { licenseId: license.id, checkoutSessionId: session.id } });
  }
  if (stripeSubscriptionId) {
    // Invoices paid before the license existed recorded their payments by subscription only.
    await ctx.db
      .update(payments)
      .set({ licenseId: license.id })
      .where(and(eq(payments.stripeSubscriptionId, stripeSubscriptionId), isNull(payments.licenseId)));
  }
  await revokeIfAlreadyRefunded(ctx, license.id, { paymentIntentId, stripeSubscriptionId, checkoutSessionId: session.id });

  return { outcome: "processed", emails: await pendingLicenseEmails(ctx, license.id) };
}

/** The subscription row as we know it, or Stripe's current truth when we have not seen it yet. */
async function currentSubscription(
  ctx: Ctx,
  stripeSubscriptionId: string,
  hint: Parameters<typeof syncSubscription>[3],
): Promise<SubscriptionRow> {
  const [known] = await ctx.db.select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId));
  if (known?.currentPeriodEnd) {
    if (!known.customerId && hint?.customerId) {
      await ctx.db.update(subscriptions).set({ customerId: hint.customerId }).where(eq(subscriptions.id, known.id));
    }
    return known;
  }
  return (await refreshSubscription(ctx, stripeSubscriptionId, hint)).row;
}

/** A full refund can be delivered before the checkout it refunds (Stripe guarantees no order). */
async function revokeIfAlreadyRefunded(
  ctx: Ctx,
  licenseId: string,
  keys: { paymentIntentId: string | null; stripeSubscriptionId: string | null; checkoutSessionId: string },
) {
  const matches: SQL[] = [eq(payments.checkoutSessionId, keys.checkoutSessionId)];
  if (keys.paymentIntentId) matches.push(eq(payments.paymentIntentId, keys.paymentIntentId));
  if (keys.stripeSubscriptionId) matches.push(eq(payments.stripeSubscriptionId, keys.stripeSubscriptionId));
  const refunded = await ctx.db
    .update(payments)
    .set({ licenseId: sql`coalesce(${payments.licenseId}, ${licenseId})` })
    .where(and(isNotNull(payments.fullyRefundedAt), or(...matches)))
    .returning({ paymentIntentId: payments.paymentIntentId });
  if (refunded.length > 0) await revokeLicense(ctx, licenseId, "refund");
}
