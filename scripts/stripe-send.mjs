// npm run stripe:send -- <purchase|renewal|refund|cancel|upgrade|EVENT_TYPE> [options]
// Plays Stripe against the local service: realistic events built from Stripe's example objects
// (test/support/fakes/stripe-fixtures.json), signed with the local webhook secret, POSTed to the
// webhook, then waits for the queue consumer and prints what happened. `npm run dev` has no Stripe
// API, so every flow here carries what the consumer needs in the events themselves.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import Stripe from "stripe";
import { readDevVars } from "./lib/dev-vars.mjs";

const HELP = `Usage: npm run stripe:send -- <command> [options]

Commands
  purchase        customer.subscription.created, checkout.session.completed, invoice.payment_succeeded;
                  prints the license key
  renewal         the next period: customer.subscription.updated + invoice.payment_succeeded
  refund          charge.refunded for the last payment of the last purchase (full; --partial for half)
  cancel          customer.subscription.deleted
  upgrade         customer.subscription.updated to the <product>_premium_<interval> price (--tier base: downgrade)
  <event-type>    one event of that type about the last purchase (--new: a fresh one), e.g.
                  charge.dispute.created, charge.dispute.closed --status won|lost

Options
  --product simpl-resultat|simpl-liste   (purchase; default simpl-resultat)
  --tier base|premium                    (purchase: default base; upgrade: default premium)
  --interval month|year                  (purchase; default month)
  --email you@example.test               (purchase; default a random buyer-…@example.test)
  --port 8787 | --url http://127.0.0.1:8787
  --partial                              (refund) refund half the amount: the license stays
  --status won|lost                      (charge.dispute.closed; default lost)
  --new                                  (<event-type>) about a new purchase instead of the last one

Secrets come from .dev.vars (STRIPE_WEBHOOK_SECRET: the first of the list; INTERNAL_API_KEYS: the first).
State (the purchases sent so far) is kept in .data/stripe-send.json ($DEV_DATA_DIR/stripe-send.json).`;

const DAY = 86_400;
const WAIT_MS = 20_000;
const PRICES = { base: { month: 900, year: 9000 }, premium: { month: 1900, year: 19000 } };

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    product: { type: "string", default: "simpl-resultat" },
    tier: { type: "string" },
    interval: { type: "string", default: "month" },
    email: { type: "string" },
    port: { type: "string", default: "8787" },
    url: { type: "string" },
    partial: { type: "boolean", default: false },
    status: { type: "string", default: "lost" },
    new: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
const command = positionals[0];
if (opts.help || !command) {
  console.log(HELP);
  process.exit(command || opts.help ? 0 : 1);
}

const base = (opts.url ?? `http://127.0.0.1:${opts.port}`).replace(/\/$/, "");
const devVars = existsSync(".dev.vars") ? readDevVars(".dev.vars") : readDevVars(".dev.vars.example");
const webhookSecret = firstOf(devVars.STRIPE_WEBHOOK_SECRET, "STRIPE_WEBHOOK_SECRET");
const internalKey = firstOf(devVars.INTERNAL_API_KEYS, "INTERNAL_API_KEYS");
const statePath = `${process.env.DEV_DATA_DIR ?? ".data"}/stripe-send.json`;
const fixtures = JSON.parse(readFileSync(new URL("../test/support/fakes/stripe-fixtures.json", import.meta.url), "utf8")).resources;
const signer = new Stripe("sk_test_signing_only");

function firstOf(list, name) {
  const first = (list ?? "").split(",").map((s) => s.trim()).find(Boolean);
  if (!first) fail(`${name} is not set in .dev.vars (run \`npm run dev\` once: it creates the file).`);
  return first;
}

function fail(message) {
  console.error(`stripe:send: ${message}`);
  process.exit(1);
}

// ---- state ------------------------------------------------------------------------------------

function loadState() {
  return existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : { purchases: [], lastCreated: 0 };
}
function saveState() {
  mkdirSync(dirname(statePath), { recursive: true });
  writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
}
const state = loadState();

const nowSec = () => Math.floor(Date.now() / 1000);
const rand = () => crypto.randomUUID().replaceAll("-", "").slice(0, 24);
const stripeId = (prefix) => `${prefix}_test_${rand()}`;
// Strictly increasing `created`: the service never lets an event overwrite state from a later (or the same) second.
const nextCreated = () => (state.lastCreated = Math.max(nowSec(), (state.lastCreated ?? 0) + 1));
const periodLength = (interval) => (interval === "year" ? 365 : 30) * DAY;

function newPayment(p, period) {
  return { invoiceId: stripeId("in"), paymentIntentId: stripeId("pi"), chargeId: stripeId("ch"), amount: PRICES[p.tier]?.[p.interval] ?? 900, period };
}

function newPurchase() {
  const product = opts.product;
  const tier = opts.tier ?? "base";
  const interval = opts.interval;
  if (!["simpl-resultat", "simpl-liste"].includes(product)) fail(`unknown --product ${product}`);
  if (!["base", "premium"].includes(tier)) fail(`unknown --tier ${tier}`);
  if (!["month", "year"].includes(interval)) fail(`unknown --interval ${interval}`);
  const periodStart = nowSec();
  const p = {
    product,
    tier,
    interval,
    email: opts.email ?? `buyer-${rand().slice(0, 8)}@example.test`,
    logtoUserId: `logto_${rand().slice(0, 12)}`,
    customerId: stripeId("cus"),
    sessionId: stripeId("cs"),
    subscriptionId: stripeId("sub"),
    subscriptionItemId: stripeId("si"),
    priceId: stripeId("price"),
    periodStart,
    periodEnd: periodStart + periodLength(interval),
    status: "active",
    payments: [],
  };
  p.payments.push(newPayment(p, { start: p.periodStart, end: p.periodEnd }));
  state.purchases.push(p);
  return p;
}

function lastPurchase() {
  const p = state.purchases.at(-1);
  if (!p) fail(`no purchase sent yet (state: ${statePath}): run \`npm run stripe:send -- purchase\` first.`);
  return p;
}

// ---- Stripe objects, from Stripe's example objects ----------------------------------------------

const clone = (v) => structuredClone(v);
const list = (data, url) => ({ object: "list", data, has_more: false, total_count: data.length, url });

function price(p) {
  return {
    ...clone(fixtures.price),
    id: p.priceId,
    lookup_key: `${p.product}_${p.tier}_${p.interval}`,
    metadata: {},
    unit_amount: PRICES[p.tier][p.interval],
    recurring: { ...clone(fixtures.price.recurring), interval: p.interval, interval_count: 1 },
    type: "recurring",
  };
}

function subscription(p, over = {}) {
  return {
    ...clone(fixtures.subscription),
    id: p.subscriptionId,
    customer: p.customerId,
    status: p.status,
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    start_date: p.periodStart,
    // Copied from the checkout session when the service creates it; an upgrade changes the price only.
    metadata: { product: p.product, tier: p.purchasedTier ?? p.tier, logto_user_id: p.logtoUserId },
    items: list(
      [
        {
          ...clone(fixtures.subscription.items.data[0]),
          id: p.subscriptionItemId,
          subscription: p.subscriptionId,
          current_period_start: p.periodEnd - periodLength(p.interval),
          current_period_end: p.periodEnd,
          price: price(p),
        },
      ],
      `/v1/subscription_items?subscription=${p.subscriptionId}`,
    ),
    ...over,
  };
}

function checkoutSession(p) {
  return {
    ...clone(fixtures["checkout.session"]),
    id: p.sessionId,
    mode: "subscription",
    status: "complete",
    payment_status: "paid",
    customer: p.customerId,
    customer_email: null,
    customer_details: { ...clone(fixtures["checkout.session"].customer_details), email: p.email },
    client_reference_id: p.logtoUserId,
    metadata: { product: p.product, tier: p.tier, logto_user_id: p.logtoUserId },
    subscription: p.subscriptionId,
    invoice: p.payments[0].invoiceId,
    payment_intent: null,
    amount_total: p.payments[0].amount,
    created: p.periodStart,
  };
}

function invoice(p, pay, billingReason) {
  const line = clone(fixtures.invoice.lines.data[0]);
  return {
    ...clone(fixtures.invoice),
    id: pay.invoiceId,
    customer: p.customerId,
    customer_email: p.email,
    status: "paid",
    billing_reason: billingReason,
    amount_due: pay.amount,
    amount_paid: pay.amount,
    amount_remaining: 0,
    period_start: pay.period.start,
    period_end: pay.period.end,
    subscription: undefined,
    parent: { type: "subscription_details", quote_details: null, subscription_details: { subscription: p.subscriptionId, metadata: {} } },
    lines: list(
      [
        {
          ...line,
          invoice: pay.invoiceId,
          amount: pay.amount,
          period: pay.period,
          parent: {
            type: "subscription_item_details",
            invoice_item_details: null,
            subscription_item_details: { subscription: p.subscriptionId, subscription_item: p.subscriptionItemId, proration: false, invoice_item: null, proration_details: null },
          },
        },
      ],
      `/v1/invoices/${pay.invoiceId}/lines`,
    ),
    // What the consumer records (payment intent → subscription), so a refund needs no API call.
    payments: list(
      [
        {
          ...clone(fixtures.invoice_payment),
          id: stripeId("inpay"),
          invoice: pay.invoiceId,
          amount_paid: pay.amount,
          livemode: false,
          is_default: true,
          payment: { type: "payment_intent", payment_intent: pay.paymentIntentId },
          status: "paid",
        },
      ],
      `/v1/invoice_payments?invoice=${pay.invoiceId}`,
    ),
  };
}

function charge(p, pay, { refundedAmount = 0 } = {}) {
  const refunds = refundedAmount
    ? [{ ...clone(fixtures.refund), id: stripeId("re"), amount: refundedAmount, charge: pay.chargeId, payment_intent: pay.paymentIntentId, status: "succeeded", created: nowSec() }]
    : [];
  return {
    ...clone(fixtures.charge),
    id: pay.chargeId,
    amount: pay.amount,
    amount_captured: pay.amount,
    amount_refunded: refundedAmount,
    refunded: refundedAmount >= pay.amount,
    captured: true,
    paid: true,
    status: "succeeded",
    customer: p.customerId,
    receipt_email: p.email,
    payment_intent: pay.paymentIntentId,
    refunds: list(refunds, `/v1/charges/${pay.chargeId}/refunds`),
  };
}

function dispute(p, pay, status) {
  return {
    id: stripeId("dp"),
    object: "dispute",
    amount: pay.amount,
    charge: pay.chargeId,
    payment_intent: pay.paymentIntentId,
    currency: "eur",
    reason: "fraudulent",
    status,
    livemode: false,
    created: nowSec(),
    metadata: {},
  };
}

function event(type, object, extra = {}) {
  return {
    ...clone(fixtures.event),
    id: stripeId("evt"),
    api_version: "2026-10-28.endive",
    type,
    created: nextCreated(),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object, ...extra },
  };
}

// ---- talking to the service ---------------------------------------------------------------------

async function request(method, path, { body, headers = {} } = {}) {
  let res;
  try {
    res = await fetch(`${base}${path}`, { method, headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) }, body });
  } catch (err) {
    fail(`nothing answers on ${base} (${err.cause?.code ?? err.message}): start \`npm run dev\` first, or pass --port.`);
  }
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

const admin = (path) => request("GET", path, { headers: { Authorization: `Bearer ${internalKey}` } });

async function send(evt) {
  const payload = JSON.stringify(evt);
  const header = await signer.webhooks.generateTestHeaderStringAsync({ payload, secret: webhookSecret });
  const res = await request("POST", "/subscriptions/webhook", { body: payload, headers: { "Stripe-Signature": header } });
  const label = `  ${evt.type.padEnd(36)} ${evt.id}`;
  if (res.status !== 200) {
    console.log(`${label}  HTTP ${res.status} ${res.json?.code ?? ""}`);
    fail(`the webhook refused the event: ${res.json?.detail ?? res.text}`);
  }
  if (res.json?.ignored) {
    console.log(`${label}  HTTP 200, ignored: ${res.json.ignored}`);
    return { status: "ignored" };
  }
  const row = await settled(evt.id);
  const note = row.error_code ? ` (${row.error_code}: ${row.last_error})` : "";
  console.log(`${label}  HTTP 200 → ${row.status}${note}`);
  if (row.status === "failed") fail("the consumer recorded the event as failed (GET /admin/events?status=failed).");
  return row;
}

/** The consumer has applied the event (its row in stripe_events is no longer `received`). */
async function settled(eventId) {
  const deadline = Date.now() + WAIT_MS;
  let row;
  while (Date.now() < deadline) {
    const res = await admin("/admin/events?limit=200");
    if (res.status === 401) fail("the service refused the internal API key from .dev.vars (INTERNAL_API_KEYS).");
    row = res.json?.events?.find((e) => e.id === eventId);
    if (row && row.status !== "received") return row;
    await new Promise((r) => setTimeout(r, 150));
  }
  fail(
    `event ${eventId} not applied after ${WAIT_MS / 1000} s${row?.last_error ? ` (last error: ${row.last_error})` : ""}: ` +
      "see the `npm run dev` log; the consumer retries transient errors.",
  );
}

async function licenseOf(p) {
  const res = await admin(`/admin/licenses?email=${encodeURIComponent(p.email)}`);
  return res.json?.licenses?.find((l) => (p.licenseId ? l.id === p.licenseId : l.checkout_session_id === p.sessionId)) ?? null;
}

function describeLicense(l) {
  if (!l) return "no license for this purchase (yet)";
  const extra = l.status === "revoked" ? `, revoked at ${l.revoked_at} (${l.revoke_reason})` : "";
  const sub = l.subscription ? `; subscription ${l.subscription.status}, period end ${l.subscription.current_period_end}` : "";
  return `license ${l.id}: ${l.product} ${l.tier}, ${l.status}${extra}, expires ${l.expires_at}${sub}`;
}

// ---- commands -----------------------------------------------------------------------------------

async function purchase() {
  const p = newPurchase();
  saveState();
  console.log(`purchase: ${p.product} ${p.tier} (${p.interval}ly) by ${p.email} → ${base}`);
  // The order Stripe usually delivers, and the one that needs no Stripe API call: the subscription
  // (and its period) is known before the checkout that issues the license.
  await send(event("customer.subscription.created", subscription(p)));
  await send(event("checkout.session.completed", checkoutSession(p)));
  await send(event("invoice.payment_succeeded", invoice(p, p.payments[0], "subscription_create")));
  const license = await licenseOf(p);
  if (!license) fail("the events were applied but no license was found for this checkout session.");
  p.licenseId = license.id;
  saveState();
  console.log(describeLicense(license));
  console.log(`key: ${license.key}`);
  console.log("(the license email is in the `npm run dev` log: without RESEND_API_KEY emails are logged, not sent)");
}

async function renewal() {
  const p = lastPurchase();
  const pay = newPayment(p, { start: p.periodEnd, end: p.periodEnd + periodLength(p.interval) });
  p.payments.push(pay);
  p.periodEnd = pay.period.end;
  saveState();
  console.log(`renewal: ${p.subscriptionId}, next period until ${new Date(p.periodEnd * 1000).toISOString()}`);
  await send(event("customer.subscription.updated", subscription(p), { previous_attributes: { items: { data: [{ current_period_end: pay.period.start }] } } }));
  await send(event("invoice.payment_succeeded", invoice(p, pay, "subscription_cycle")));
  const license = await licenseOf(p);
  console.log(describeLicense(license));
  if (license) console.log(`key: ${license.key}`);
}

async function refund() {
  const p = lastPurchase();
  const pay = p.payments.at(-1);
  const amount = opts.partial ? Math.floor(pay.amount / 2) : pay.amount;
  console.log(`refund: ${opts.partial ? "partial" : "full"} (${amount} of ${pay.amount}) of ${pay.chargeId}, ${p.email}`);
  await send(event("charge.refunded", charge(p, pay, { refundedAmount: amount }), { previous_attributes: { amount_refunded: 0, refunded: false } }));
  console.log(describeLicense(await licenseOf(p)));
}

async function cancel() {
  const p = lastPurchase();
  p.status = "canceled";
  saveState();
  const now = nowSec();
  console.log(`cancel: ${p.subscriptionId}`);
  await send(event("customer.subscription.deleted", subscription(p, { status: "canceled", canceled_at: now, ended_at: now })));
  console.log(describeLicense(await licenseOf(p)));
}

async function upgrade() {
  const p = lastPurchase();
  const tier = opts.tier ?? "premium";
  if (!["base", "premium"].includes(tier)) fail(`unknown --tier ${tier}`);
  const previous = { id: p.priceId, lookup_key: `${p.product}_${p.tier}_${p.interval}` };
  p.purchasedTier ??= p.tier;
  p.tier = tier;
  p.priceId = stripeId("price");
  saveState();
  console.log(`upgrade: ${p.subscriptionId} to the ${p.product}_${tier}_${p.interval} price`);
  await send(event("customer.subscription.updated", subscription(p), { previous_attributes: { items: { data: [{ price: previous }] } } }));
  const license = await licenseOf(p);
  console.log(describeLicense(license));
  if (license) console.log(`key: ${license.key}`);
}

async function single(type) {
  const p = opts.new || state.purchases.length === 0 ? newPurchase() : lastPurchase();
  const pay = p.payments.at(-1);
  saveState();
  let object;
  if (type.startsWith("checkout.session.")) object = checkoutSession(p);
  else if (type.startsWith("invoice.")) object = invoice(p, pay, p.payments.length > 1 ? "subscription_cycle" : "subscription_create");
  else if (type === "customer.subscription.deleted") object = subscription(p, { status: "canceled", canceled_at: nowSec(), ended_at: nowSec() });
  else if (type.startsWith("customer.subscription.")) object = subscription(p);
  else if (type === "charge.refunded") object = charge(p, pay, { refundedAmount: opts.partial ? Math.floor(pay.amount / 2) : pay.amount });
  else if (type === "charge.dispute.created") object = dispute(p, pay, "needs_response");
  else if (type === "charge.dispute.closed") object = dispute(p, pay, opts.status);
  else if (type.startsWith("charge.")) object = charge(p, pay);
  else object = { id: stripeId(type.split(".")[0]), object: type.split(".")[0], livemode: false };
  console.log(`${type} about ${p.subscriptionId} (${p.email})`);
  await send(event(type, object));
  console.log(describeLicense(await licenseOf(p)));
}

const commands = { purchase, renewal, refund, cancel, upgrade };
if (commands[command]) await commands[command]();
else if (/^[a-z_]+(\.[a-z_]+)+$/.test(command)) await single(command);
else fail(`unknown command ${command}\n\n${HELP}`);
saveState();
