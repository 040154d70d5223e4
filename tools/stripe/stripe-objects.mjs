// @ts-check
// Stripe objects and events as Stripe sends them, for a purchase's ids: Stripe's own example
// objects (stripe-fixtures.json, from Stripe's OpenAPI repository) with the fields a scenario
// needs set. Plain JavaScript so that the tests (in workerd), the bench and scripts (in Node)
// build exactly the same payloads. Every builder's result `@satisfies` the stripe SDK's type of
// the pinned API version and takes only that type's fields as overrides, so tsc refuses a field
// Stripe does not send (e.g. `invoice.subscription`) wherever the builders are used from TypeScript
// (test/types/stripe-fakes.ts proves it). JSDoc rather than TypeScript: node runs scripts and bench as is.
/** @import Stripe from "stripe" */
import fixtures from "./stripe-fixtures.json" with { type: "json" };

/**
 * The example objects as the SDK types them (test/types/stripe-fakes.ts checks they carry no field
 * the SDK does not know).
 * @type {{ "checkout.session": Stripe.Checkout.Session; charge: Stripe.Charge; invoice: Stripe.Invoice;
 *   invoice_payment: Stripe.InvoicePayment; subscription: Stripe.Subscription; dispute: Stripe.Dispute;
 *   event: Stripe.Event; refund: Stripe.Refund; price: Stripe.Price; product: Stripe.Product; item: Stripe.LineItem }}
 */
const resources = /** @type {any} */ (fixtures.resources);
/** @template T @param {T} v @returns {T} */
const clone = (v) => structuredClone(v);
/** A field the example object does fill. @template T @param {T | null} v @returns {T} */
const notNull = (v) => /** @type {T} */ (v);
const DAY = 86_400;

/** Stripe's list envelope. @template T @param {T[]} data @param {string} url @returns {Stripe.ApiList<T>} */
export const list = (data, url) => ({ object: "list", data, has_more: false, url });
/** @param {"month" | "year"} [interval] */
export const periodSec = (interval = "month") => (interval === "year" ? 365 : 30) * DAY;

/** @param {string} prefix @param {string} [tag] */
export const stripeId = (prefix, tag = "test") =>
  `${prefix}_${tag}_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
export const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * @typedef {{ invoiceId: string; paymentIntentId: string; chargeId: string; amount: number;
 *   period: { start: number; end: number } }} Payment
 * @typedef {{ product: string; tier: string; interval: "month" | "year"; amount: number; email: string;
 *   logtoUserId: string; customerId: string; sessionId: string; subscriptionId: string; subscriptionItemId: string;
 *   invoiceId: string; paymentIntentId: string; chargeId: string; priceId: string; periodStart: number;
 *   periodEnd: number; status?: string; purchasedTier?: string; payments?: Payment[] }} Purchase
 */

/** The ids and facts of one subscription purchase; every object below is derived from it.
 * @param {Partial<Purchase>} [over] @param {string} [tag] @returns {Purchase} */
export function newPurchase(over = {}, tag = "test") {
  const periodStart = nowSec();
  return {
    product: "simpl-resultat",
    tier: "base",
    interval: "month",
    amount: 1000,
    email: `buyer-${crypto.randomUUID().slice(0, 8)}@example.test`,
    logtoUserId: `logto_${crypto.randomUUID().slice(0, 12)}`,
    customerId: stripeId("cus", tag),
    sessionId: stripeId("cs", tag),
    subscriptionId: stripeId("sub", tag),
    subscriptionItemId: stripeId("si", tag),
    invoiceId: stripeId("in", tag),
    paymentIntentId: stripeId("pi", tag),
    chargeId: stripeId("ch", tag),
    priceId: stripeId("price", tag),
    periodStart,
    periodEnd: periodStart + periodSec(over.interval),
    ...over,
  };
}

/** The purchase's first payment (the checkout's invoice), from the purchase's own ids. @param {Purchase} p @returns {Payment} */
export function firstPayment(p) {
  return {
    invoiceId: p.invoiceId,
    paymentIntentId: p.paymentIntentId,
    chargeId: p.chargeId,
    amount: p.amount,
    period: { start: p.periodStart, end: p.periodEnd },
  };
}

/** A later payment of the purchase (a renewal): new invoice, payment intent and charge.
 * @param {Purchase} p @param {{ start: number; end: number }} period @param {string} [tag] @returns {Payment} */
export function newPayment(p, period, tag = "test") {
  return {
    invoiceId: stripeId("in", tag),
    paymentIntentId: stripeId("pi", tag),
    chargeId: stripeId("ch", tag),
    amount: p.amount,
    period,
  };
}

/** The purchase as seen from one of its payments: the payment-level builders below read its ids.
 * @param {Purchase} p @param {Payment} pay @returns {Purchase} */
export const atPayment = (p, pay) => ({
  ...p,
  invoiceId: pay.invoiceId,
  paymentIntentId: pay.paymentIntentId,
  chargeId: pay.chargeId,
  amount: pay.amount,
});

/** @param {Purchase} p @param {Partial<Stripe.Price>} [over] */
export function price(p, over = {}) {
  const interval = p.interval ?? "month";
  return /** @satisfies {Stripe.Price} */ ({
    ...clone(resources.price),
    id: p.priceId,
    lookup_key: `${p.product}_${p.tier}_${interval}`,
    metadata: {},
    unit_amount: p.amount ?? 1000,
    // A decimal string on the wire; the SDK hands it to its callers as its Decimal.
    unit_amount_decimal: /** @type {Stripe.Decimal} */ (/** @type {unknown} */ (String(p.amount ?? 1000))),
    recurring: { ...notNull(clone(resources.price.recurring)), interval, interval_count: 1 },
    type: "recurring",
    ...over,
  });
}

/** The product a price sells (expanded where a request asked `expand[]=…product`). @param {Partial<Stripe.Product>} [over] */
export function product(over = {}) {
  return /** @satisfies {Stripe.Product} */ ({
    ...clone(resources.product),
    id: stripeId("prod"),
    metadata: {},
    ...over,
  });
}

/** A Checkout Session line item of the purchase, its price expanded; `priceOver` changes the price.
 * @param {Purchase} p @param {Partial<Stripe.Price>} [priceOver] @param {Partial<Stripe.LineItem>} [over] */
export function lineItem(p, priceOver = {}, over = {}) {
  const amount = p.amount ?? 1000;
  return /** @satisfies {Stripe.LineItem} */ ({
    ...clone(resources.item),
    id: stripeId("li"),
    amount_subtotal: amount,
    amount_total: amount,
    quantity: 1,
    price: price(p, priceOver),
    ...over,
  });
}

/** @param {Purchase} p @param {Partial<Stripe.Checkout.Session>} [over] */
export function checkoutSession(p, over = {}) {
  return /** @satisfies {Stripe.Checkout.Session} */ ({
    ...clone(resources["checkout.session"]),
    id: p.sessionId,
    mode: "subscription",
    status: "complete",
    payment_status: "paid",
    customer: p.customerId,
    customer_details: { ...notNull(clone(resources["checkout.session"].customer_details)), email: p.email },
    client_reference_id: p.logtoUserId,
    metadata: { product: p.product, tier: p.tier, logto_user_id: p.logtoUserId },
    subscription: p.subscriptionId,
    invoice: p.invoiceId,
    payment_intent: null,
    amount_subtotal: p.amount ?? 1000,
    amount_total: p.amount ?? 1000,
    created: p.periodStart,
    ...over,
  });
}

/** @param {Purchase} p @param {Partial<Stripe.Subscription>} [over] @param {Partial<Stripe.Price>} [priceOver] */
export function subscription(p, over = {}, priceOver = {}) {
  const item = /** @type {Stripe.SubscriptionItem} */ (clone(resources.subscription.items.data[0]));
  return /** @satisfies {Stripe.Subscription} */ ({
    ...clone(resources.subscription),
    id: p.subscriptionId,
    customer: p.customerId,
    status: p.status ?? "active",
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    // Copied from the checkout session when the service creates it; an upgrade changes the price only.
    metadata: { product: p.product, tier: p.purchasedTier ?? p.tier, logto_user_id: p.logtoUserId },
    items: {
      ...clone(resources.subscription.items),
      url: `/v1/subscription_items?subscription=${p.subscriptionId}`,
      data: [
        {
          ...item,
          id: p.subscriptionItemId ?? item.id,
          subscription: p.subscriptionId,
          current_period_start: p.periodStart,
          current_period_end: p.periodEnd,
          price: price(p, priceOver),
        },
      ],
    },
    ...over,
  });
}

/** @param {Purchase} p @param {{ start: number; end: number }} [period] @param {Partial<Stripe.Invoice>} [over] */
export function invoice(p, period = { start: p.periodStart, end: p.periodEnd }, over = {}) {
  const line = /** @type {Stripe.InvoiceLineItem} */ (clone(resources.invoice.lines.data[0]));
  return /** @satisfies {Stripe.Invoice} */ ({
    ...clone(resources.invoice),
    id: p.invoiceId,
    customer: p.customerId,
    customer_email: p.email,
    status: "paid",
    billing_reason: "subscription_cycle",
    amount_due: p.amount ?? 1000,
    amount_paid: p.amount ?? 1000,
    amount_remaining: 0,
    period_start: period.start,
    period_end: period.end,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { subscription: p.subscriptionId, metadata: {} },
    },
    lines: {
      ...clone(resources.invoice.lines),
      url: `/v1/invoices/${p.invoiceId}/lines`,
      data: [
        {
          ...line,
          invoice: p.invoiceId,
          amount: p.amount ?? 1000,
          period,
          parent: {
            type: "subscription_item_details",
            invoice_item_details: null,
            subscription_item_details: {
              subscription: p.subscriptionId,
              subscription_item: p.subscriptionItemId ?? "si_test",
              proration: false,
              invoice_item: null,
              proration_details: null,
            },
          },
        },
      ],
    },
    ...over,
  });
}

/** @param {Purchase} p @param {number} amount @param {Partial<Stripe.Refund>} [over] */
export function refund(p, amount, over = {}) {
  return /** @satisfies {Stripe.Refund} */ ({
    ...clone(resources.refund),
    id: stripeId("re"),
    amount,
    charge: p.chargeId,
    payment_intent: p.paymentIntentId,
    status: "succeeded",
    created: nowSec(),
    ...over,
  });
}

/** The charge of the purchase's (current) payment, fully refunded unless `over.amount_refunded` says otherwise.
 * @param {Purchase} p @param {Partial<Stripe.Charge>} [over] */
export function charge(p, over = {}) {
  const amount = p.amount ?? 1000;
  const refunded = over.amount_refunded ?? amount;
  return /** @satisfies {Stripe.Charge} */ ({
    ...clone(resources.charge),
    id: p.chargeId,
    amount,
    amount_captured: amount,
    amount_refunded: refunded,
    refunded: refunded >= amount,
    captured: true,
    paid: true,
    status: "succeeded",
    customer: p.customerId,
    receipt_email: p.email,
    payment_intent: p.paymentIntentId,
    refunds: list(refunded ? [refund(p, refunded)] : [], `/v1/charges/${p.chargeId}/refunds`),
    ...over,
  });
}

/** The invoice payment joining the payment intent to its invoice (expanded unless `over` says otherwise).
 * @param {Purchase} p @param {Partial<Stripe.InvoicePayment>} [over] */
export function invoicePayment(p, over = {}) {
  return /** @satisfies {Stripe.InvoicePayment} */ ({
    ...clone(resources.invoice_payment),
    id: stripeId("inpay"),
    invoice: invoice(p),
    amount_paid: p.amount ?? 1000,
    amount_requested: p.amount ?? 1000,
    currency: resources.invoice.currency,
    created: p.periodStart,
    is_default: true,
    livemode: false,
    payment: { type: "payment_intent", payment_intent: p.paymentIntentId },
    status: "paid",
    ...over,
  });
}

/** A chargeback on the purchase's (current) payment, open until `over.status` says otherwise.
 * @param {Purchase} p @param {Partial<Stripe.Dispute>} [over] */
export function dispute(p, over = {}) {
  const created = nowSec();
  return /** @satisfies {Stripe.Dispute} */ ({
    ...clone(resources.dispute),
    id: stripeId("dp"),
    amount: p.amount ?? 1000,
    charge: p.chargeId,
    payment_intent: p.paymentIntentId,
    currency: resources.charge.currency,
    created,
    evidence_details: { ...clone(resources.dispute.evidence_details), due_by: created + 7 * DAY },
    // A disputed charge can no longer be refunded.
    is_charge_refundable: false,
    livemode: false,
    reason: "fraudulent",
    status: "needs_response",
    ...over,
  });
}

/**
 * The envelope is typed; `data.object` is whichever object the event is about (the builders above).
 * @template {string} T @template O @param {T} type @param {O} object
 * @param {{ id?: string; created?: number; livemode?: boolean; previousAttributes?: Record<string, unknown> }} [over] */
export function event(type, object, over = {}) {
  const { type: _type, data: _data, ...envelope } = clone(resources.event);
  return /** @satisfies {Omit<Stripe.Event, "type" | "data"> & { type: T; data: { object: O; previous_attributes?: Record<string, unknown> } }} */ ({
    ...envelope,
    api_version: "2026-10-28.endive",
    id: over.id ?? stripeId("evt"),
    type,
    created: over.created ?? nowSec(),
    livemode: over.livemode ?? false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: over.previousAttributes ? { object, previous_attributes: over.previousAttributes } : { object },
  });
}
