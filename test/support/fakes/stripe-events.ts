// Stripe events as Stripe sends them: built from Stripe's example objects (stripe-fixtures.json),
// with the fields a scenario needs set, signed with the webhook secret like Stripe signs them.
import Stripe from "stripe";
import { TEST_WEBHOOK_SECRET } from "../../bindings";
import { call } from "../http";
import fixtures from "./stripe-fixtures.json";

const resources = fixtures.resources as Record<string, any>;
const clone = <T>(v: T): T => structuredClone(v);
export const stripeId = (prefix: string) => `${prefix}_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
export const nowSec = () => Math.floor(Date.now() / 1000);
const DAY = 86_400;

export interface Purchase {
  product: string;
  tier: string;
  email: string;
  logtoUserId: string;
  customerId: string;
  sessionId: string;
  subscriptionId: string;
  invoiceId: string;
  paymentIntentId: string;
  chargeId: string;
  priceId: string;
  periodStart: number;
  periodEnd: number;
}

/** The ids and facts of one subscription purchase; every object below is derived from it. */
export function newPurchase(over: Partial<Purchase> = {}): Purchase {
  const periodStart = nowSec();
  return {
    product: "simpl-resultat",
    tier: "base",
    email: `buyer-${crypto.randomUUID().slice(0, 8)}@example.test`,
    logtoUserId: `logto_${crypto.randomUUID().slice(0, 12)}`,
    customerId: stripeId("cus"),
    sessionId: stripeId("cs"),
    subscriptionId: stripeId("sub"),
    invoiceId: stripeId("in"),
    paymentIntentId: stripeId("pi"),
    chargeId: stripeId("ch"),
    priceId: stripeId("price"),
    periodStart,
    periodEnd: periodStart + 30 * DAY,
    ...over,
  };
}

export function price(p: Purchase, over: Record<string, unknown> = {}) {
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

export function checkoutSession(p: Purchase, over: Record<string, unknown> = {}) {
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

export function subscription(p: Purchase, over: Record<string, unknown> = {}, priceOver: Record<string, unknown> = {}) {
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

export function invoice(p: Purchase, period: { start: number; end: number } = { start: p.periodStart, end: p.periodEnd }, over: Record<string, unknown> = {}) {
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

export function charge(p: Purchase, over: Record<string, unknown> = {}) {
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

export function invoicePayment(p: Purchase) {
  return {
    ...clone(resources.invoice_payment),
    id: stripeId("inpay"),
    invoice: invoice(p),
    livemode: false,
    payment: { type: "payment_intent", payment_intent: p.paymentIntentId },
    status: "paid",
  };
}

export function event(type: string, object: unknown, over: { id?: string; created?: number; livemode?: boolean } = {}) {
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

const cryptoProvider = Stripe.createSubtleCryptoProvider();
const signer = new Stripe("sk_test_only_signer", { httpClient: Stripe.createFetchHttpClient() });

export async function signPayload(payload: string, options: { secret?: string; timestamp?: number } = {}) {
  return signer.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? TEST_WEBHOOK_SECRET,
    timestamp: options.timestamp,
    cryptoProvider,
  });
}

/** POSTs an event to the webhook as Stripe would: the exact bytes it signed. */
export async function deliver(evt: unknown, options: { secret?: string; timestamp?: number; payload?: string } = {}) {
  const payload = options.payload ?? JSON.stringify(evt);
  const header = await signPayload(payload, options);
  return call("POST", "/subscriptions/webhook", { rawBody: payload, headers: { "Stripe-Signature": header, "content-type": "application/json" } });
}
