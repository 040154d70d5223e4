import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { payments, subscriptions } from "../../db/schema";
import { addDays, fromSec } from "../../lib/clock";
import { extendLicense, findLicenseOfSubscription } from "../../services/licenses/update-license-terms";
import { idOf } from "../object-id";
import { ignored, type HandlerResult } from "./types";

/** The end of the service period this invoice paid for: its subscription lines' `period.end`. */
export function paidPeriodEnd(invoice: Stripe.Invoice): Date | null {
  const ends = (invoice.lines?.data ?? [])
    .filter((line) => line.parent?.subscription_item_details || line.parent?.type === "subscription_item_details" || !line.parent)
    .map((line) => line.period?.end)
    .filter((n): n is number => typeof n === "number");
  return ends.length ? fromSec(Math.max(...ends)) : null;
}

/**
 * A paid invoice extends the subscription's period and gives the license a token with the new
 * expiry. Before the checkout is applied there is no license yet: the checkout reads the period
 * from Stripe itself, so nothing is lost by doing nothing here.
 */
export async function handleInvoicePaid(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const invoice = event.data.object as Stripe.Invoice;
  const stripeSubscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
  if (!stripeSubscriptionId) return ignored("invoice of no subscription");
  const periodEnd = paidPeriodEnd(invoice);
  if (!periodEnd) return ignored("invoice without a service period");

  const [sub] = await ctx.db
    .update(subscriptions)
    .set({
      currentPeriodEnd: sql`greatest(${subscriptions.currentPeriodEnd}, ${periodEnd.toISOString()}::timestamptz)`,
      updatedAt: sql`now()`,
    })
    .where(eq(subscriptions.stripeSubscriptionId, stripeSubscriptionId))
    .returning({ id: subscriptions.id });
  const license = sub ? await findLicenseOfSubscription(ctx, sub.id) : null;
  await recordInvoicePayments(ctx, invoice, stripeSubscriptionId, license?.id ?? null);
  if (!sub) return ignored("subscription not known yet: the checkout will read its period from Stripe");
  if (!license) return ignored("no license for this subscription yet");
  const token = await extendLicense(ctx, license.id, addDays(periodEnd, ctx.config.licenseGraceDays));
  if (!token) return ignored("license is revoked: not extended");
  ctx.log.info("license renewed", { licenseId: license.id, eventId: event.id });
  return { outcome: "processed" };
}

/**
 * Remembers which payment intent paid which subscription (and license), so a later refund or
 * dispute of it needs no Stripe call. `invoice.payments` is only in the payload when expanded;
 * otherwise we ask Stripe once here, where a failure is simply retried.
 */
async function recordInvoicePayments(ctx: Ctx, invoice: Stripe.Invoice, stripeSubscriptionId: string, licenseId: string | null) {
  const listed = invoice.payments?.data ?? (invoice.id ? (await ctx.stripe.invoicePayments.list({ invoice: invoice.id, limit: 10 })).data : []);
  const intents = listed.map((p) => idOf(p.payment?.payment_intent)).filter((id): id is string => !!id);
  for (const paymentIntentId of intents) {
    await ctx.db
      .insert(payments)
      .values({ paymentIntentId, stripeSubscriptionId, licenseId })
      .onConflictDoUpdate({
        target: payments.paymentIntentId,
        set: {
          stripeSubscriptionId: sql`coalesce(${payments.stripeSubscriptionId}, excluded.stripe_subscription_id)`,
          licenseId: sql`coalesce(${payments.licenseId}, excluded.license_id)`,
        },
      });
  }
}
