// Stripe objects and events for the bench, built the way test/support/fakes/stripe-events.ts builds
// them: Stripe's own example objects (the tests' stripe-fixtures.json) with a purchase's ids set, and
// signed with the webhook secret the way Stripe signs them.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import Stripe from "stripe";

const fixtures = JSON.parse(readFileSync(new URL("../../test/support/fakes/stripe-fixtures.json", import.meta.url), "utf8"));
const resources = fixtures.resources;
const clone = (v) => structuredClone(v);
const DAY = 86_400;

export const stripeId = (prefix) => `${prefix}_bench_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
export const nowSec = () => Math.floor(Date.now() / 1000);

/** The ids and facts of one subscription purchase; every object below is derived from it. */
export function newPurchase(n) {
  const periodStart = nowSec();
  return {
    product: "simpl-resultat",
    tier: "base",
    email: `buyer-${n}-${randomUUID().slice(0, 8)}@bench.test`,
    logtoUserId: `logto_bench_${randomUUID().slice(0, 12)}`,
    customerId: stripeId("cus"),
    sessionId: stripeId("cs"),
    subscriptionId: stripeId("sub"),
    invoiceId: stripeId("in"),
    paymentIntentId: stripeId("pi"),
    chargeId: stripeId("ch"),
    priceId: stripeId("price"),
    periodStart,
    periodEnd: periodStart + 30 * DAY,
  };
}

export function price(p) {
  return {
    ...clone(resources.price),
    id: p.priceId,
    lookup_key: `${p.product}_${p.tier}_month`,
    metadata: {},
    recurring: { ...clone(resources.price.recurring), interval: "month", interval_count: 1 },
    type: "recurring",
  };
}

export function checkoutSession(p) {
  return {
    ...clone(resources["checkout.session"]),
    id: p.sessionId,
    mode: "subscription",
    status: "complete",
    payment_status: "paid",
    customer: p.customerId,
    customer_details: { ...clone(resources["checkout.session"].customer_details), email: p.email },
    client_reference_id: p.logtoUserId,
    metadata: { product: p.product, tier: p.tier, logto_user_id: p.logtoUserId },
    subscription: p.subscriptionId,
    invoice: p.invoiceId,
    payment_intent: null,
    created: p.periodStart,
  };
}

export function subscription(p) {
  const item = clone(resources.subscription.items.data[0]);
  return {
    ...clone(resources.subscription),
    id: p.subscriptionId,
    customer: p.customerId,
    status: "active",
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    metadata: { product: p.product, tier: p.tier, logto_user_id: p.logtoUserId },
    items: {
      ...clone(resources.subscription.items),
      data: [{ ...item, subscription: p.subscriptionId, current_period_start: p.periodStart, current_period_end: p.periodEnd, price: price(p) }],
    },
  };
}

export function invoice(p) {
  const line = clone(resources.invoice.lines.data[0]);
  return {
    ...clone(resources.invoice),
    id: p.invoiceId,
    customer: p.customerId,
    status: "paid",
    billing_reason: "subscription_cycle",
    amount_paid: 1000,
    parent: { type: "subscription_details", quote_details: null, subscription_details: { subscription: p.subscriptionId, metadata: {} } },
    lines: {
      ...clone(resources.invoice.lines),
      data: [
        {
          ...line,
          invoice: p.invoiceId,
          period: { start: p.periodStart, end: p.periodEnd },
          parent: {
            type: "subscription_item_details",
            invoice_item_details: null,
            subscription_item_details: { subscription: p.subscriptionId, subscription_item: "si_bench", proration: false, invoice_item: null, proration_details: null },
          },
        },
      ],
    },
  };
}

/** A fully refunded charge of the purchase's first invoice. */
export function charge(p) {
  return {
    ...clone(resources.charge),
    id: p.chargeId,
    amount: 1000,
    amount_captured: 1000,
    amount_refunded: 1000,
    refunded: true,
    captured: true,
    customer: p.customerId,
    payment_intent: p.paymentIntentId,
  };
}

export function invoicePayment(p) {
  return {
    ...clone(resources.invoice_payment),
    id: stripeId("inpay"),
    invoice: invoice(p),
    livemode: false,
    payment: { type: "payment_intent", payment_intent: p.paymentIntentId },
    status: "paid",
  };
}

export function event(type, object) {
  return {
    ...clone(resources.event),
    api_version: "2026-10-28.endive",
    id: stripeId("evt"),
    type,
    created: nowSec(),
    livemode: false,
    data: { object },
  };
}

const signer = new Stripe("sk_test_bench_signer_only");

/** The exact bytes and the Stripe-Signature header Stripe would send for them. */
export async function signEvent(evt, secret) {
  const payload = JSON.stringify(evt);
  const signature = await signer.webhooks.generateTestHeaderStringAsync({ payload, secret });
  return { payload, signature };
}
