// Stripe objects and events as Stripe sends them, for a purchase's ids: Stripe's own example
// objects (stripe-fixtures.json, from Stripe's OpenAPI repository) with the fields a scenario
// needs set. Plain JavaScript so that the tests (in workerd), the bench and scripts (in Node)
// build exactly the same payloads.
import fixtures from "./stripe-fixtures.json" with { type: "json" };

const resources = /** @type {Record<string, any>} */ (fixtures.resources);
const clone = (v) => structuredClone(v);
const DAY = 86_400;

/** @param {string} prefix @param {string} [tag] */
export const stripeId = (prefix, tag = "test") => `${prefix}_${tag}_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
export const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * @typedef {{ product: string; tier: string; email: string; logtoUserId: string; customerId: string;
 *   sessionId: string; subscriptionId: string; invoiceId: string; paymentIntentId: string; chargeId: string;
 *   priceId: string; periodStart: number; periodEnd: number }} Purchase
 * @typedef {Record<string, unknown>} Over
 */

/** The ids and facts of one subscription purchase; every object below is derived from it.
 * @param {Partial<Purchase>} [over] @param {string} [tag] @returns {Purchase} */
export function newPurchase(over = {}, tag = "test") {
  const periodStart = nowSec();
  return {
    product: "simpl-resultat",
    tier: "base",
    email: `buyer-${crypto.randomUUID().slice(0, 8)}@example.test`,
    logtoUserId: `logto_${crypto.randomUUID().slice(0, 12)}`,
    customerId: stripeId("cus", tag),
    sessionId: stripeId("cs", tag),
    subscriptionId: stripeId("sub", tag),
    invoiceId: stripeId("in", tag),
    paymentIntentId: stripeId("pi", tag),
    chargeId: stripeId("ch", tag),
    priceId: stripeId("price", tag),
    periodStart,
    periodEnd: periodStart + 30 * DAY,
    ...over,
  };
}

/** @param {Purchase} p @param {Over} [over] */
export function price(p, over = {}) {
  return {
    ...clone(resources.price),
    id: p.priceId,
    lookup_key: `${p.product}_${p.tier}_month`,
    metadata: {},
    recurring: { ...clone(resources.price.recurring), interval: "month", interval_count: 1 },
    type: "recurring",
    ...over,
  };
}

/** @param {Purchase} p @param {Over} [over] */
export function checkoutSession(p, over = {}) {
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
    ...over,
  };
}

/** @param {Purchase} p @param {Over} [over] @param {Over} [priceOver] */
export function subscription(p, over = {}, priceOver = {}) {
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
      data: [
        {
          ...item,
          subscription: p.subscriptionId,
          current_period_start: p.periodStart,
          current_period_end: p.periodEnd,
          price: price(p, priceOver),
        },
      ],
    },
    ...over,
  };
}

/** @param {Purchase} p @param {{ start: number; end: number }} [period] @param {Over} [over] */
export function invoice(p, period = { start: p.periodStart, end: p.periodEnd }, over = {}) {
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
          period,
          parent: {
            type: "subscription_item_details",
            invoice_item_details: null,
            subscription_item_details: { subscription: p.subscriptionId, subscription_item: "si_test", proration: false, invoice_item: null, proration_details: null },
          },
        },
      ],
    },
    ...over,
  };
}

/** A fully refunded charge of the purchase's first invoice, unless `over` says otherwise.
 * @param {Purchase} p @param {Over} [over] */
export function charge(p, over = {}) {
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
    ...over,
  };
}

/** @param {Purchase} p */
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

/** @param {string} type @param {unknown} object @param {{ id?: string; created?: number; livemode?: boolean }} [over] */
export function event(type, object, over = {}) {
  return {
    ...clone(resources.event),
    api_version: "2026-10-28.endive",
    id: over.id ?? stripeId("evt"),
    type,
    created: over.created ?? nowSec(),
    livemode: over.livemode ?? false,
    data: { object },
  };
}
