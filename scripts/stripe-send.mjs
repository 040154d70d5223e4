// npm run stripe:send -- <purchase|renewal|refund|cancel|upgrade|dispute|dispute-won|dispute-lost|EVENT_TYPE> [options]
// Plays Stripe against the local service: realistic events built by the builders the tests and the
// bench use (tools/stripe/stripe-objects.mjs, from Stripe's example objects), signed with the
// local webhook secret, POSTed to the webhook, then waits for the queue consumer and prints what
// happened. `npm run dev` has no Stripe API, so every flow carries what the consumer needs in the events.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { requestJson } from "../tools/http/json-request.mjs";
import { stripeSignature } from "../tools/stripe/sign.mjs";
import * as stripe from "../tools/stripe/stripe-objects.mjs";
import { devClientSecrets } from "./lib/dev-vars.mjs";

const HELP = `Usage: npm run stripe:send -- <command> [options]

Commands
  purchase        customer.subscription.created, checkout.session.completed, invoice.payment_succeeded;
                  prints the license key
  renewal         the next period: customer.subscription.updated + invoice.payment_succeeded
  invoice.paid    the next period's invoice, paid (or marked paid out of band): invoice.paid alone
  refund          charge.refunded for the last payment of the last purchase (full; --partial for half)
  cancel          customer.subscription.deleted
  upgrade         customer.subscription.updated to the <product>_premium_<interval> price (--tier base: downgrade)
  dispute         charge.dispute.created (a chargeback) on the last payment of the last purchase (--payment N)
  dispute-won     charge.dispute.closed, status won, for that dispute
  dispute-lost    charge.dispute.closed, status lost, for that dispute
  <event-type>    one event of that type about the last purchase (--new: a fresh one), e.g.
                  invoice.payment_failed, charge.dispute.closed --status warning_closed

Options
  --product simpl-resultat|simpl-liste   (purchase; default simpl-resultat)
  --tier base|premium                    (purchase: default base; upgrade: default premium)
  --interval month|year                  (purchase; default month)
  --email you@example.test               (purchase; default a random buyer-…@example.test)
  --port 8787 | --url http://127.0.0.1:8787
  --partial                              (refund) refund half the amount: the license stays
  --status won|lost|warning_closed|prevented|appeal_needs_response|…
                                         (charge.dispute.closed/updated; default lost)
  --payment N                            (dispute commands) the purchase's Nth payment (1 = the checkout's;
                                         default the last), e.g. two disputes on one license
  --new                                  (<event-type>) about a new purchase instead of the last one

Secrets come from .dev.vars (STRIPE_WEBHOOK_SECRET: the first of the list; INTERNAL_API_KEYS: the first).
State (the purchases sent so far) is kept in .data/stripe-send.json ($DEV_DATA_DIR/stripe-send.json).`;

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
    payment: { type: "string" },
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
const secrets = devClientSecrets();
const webhookSecret = secrets.webhookSecret ?? notSet("STRIPE_WEBHOOK_SECRET");
// The bearer token is the entry's secret alone (an entry is `name:secret` or a bare secret).
const internalKey = secrets.internalKey ?? notSet("INTERNAL_API_KEYS");
const statePath = `${process.env.DEV_DATA_DIR ?? ".data"}/stripe-send.json`;

function notSet(name) {
  fail(`${name} is not set in .dev.vars (run \`npm run dev\` once: it creates the file).`);
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

const { atPayment, nowSec, stripeId } = stripe;
// Strictly increasing `created`: the service never lets an event overwrite state from a later (or the same) second.
const nextCreated = () => (state.lastCreated = Math.max(nowSec(), (state.lastCreated ?? 0) + 1));
const event = (type, object, previousAttributes) =>
  stripe.event(type, object, { created: nextCreated(), previousAttributes });

function newPurchase() {
  const product = opts.product;
  const tier = opts.tier ?? "base";
  const interval = opts.interval;
  if (!["simpl-resultat", "simpl-liste"].includes(product)) fail(`unknown --product ${product}`);
  if (!["base", "premium"].includes(tier)) fail(`unknown --tier ${tier}`);
  if (!["month", "year"].includes(interval)) fail(`unknown --interval ${interval}`);
  const periodStart = nowSec();
  const p = stripe.newPurchase({
    product,
    tier,
    interval,
    amount: PRICES[tier][interval],
    periodStart,
    periodEnd: periodStart + stripe.periodSec(interval),
    status: "active",
  });
  if (opts.email) p.email = opts.email;
  p.payments = [stripe.firstPayment(p)];
  state.purchases.push(p);
  return p;
}

function lastPurchase() {
  const p = state.purchases.at(-1);
  if (!p) fail(`no purchase sent yet (state: ${statePath}): run \`npm run stripe:send -- purchase\` first.`);
  return p;
}

// The builders read a payment's ids from the purchase (atPayment); the first payment is the checkout's.
const checkoutSession = (p) =>
  stripe.checkoutSession(atPayment(p, p.payments[0]), { created: p.payments[0].period.start });
const invoice = (p, pay) =>
  stripe.invoice(atPayment(p, pay), pay.period, {
    billing_reason: pay === p.payments[0] ? "subscription_create" : "subscription_cycle",
    // What the consumer records (payment intent → subscription), so a refund needs no API call.
    payments: stripe.list(
      [stripe.invoicePayment(atPayment(p, pay), { invoice: pay.invoiceId })],
      `/v1/invoice_payments?invoice=${pay.invoiceId}`,
    ),
  });
const charge = (p, pay, refundedAmount = 0) => stripe.charge(atPayment(p, pay), { amount_refunded: refundedAmount });
const canceled = (p) => stripe.subscription(p, { status: "canceled", canceled_at: nowSec(), ended_at: nowSec() });

/** The payment `--payment N` names (1 = the checkout's, default the last one). */
function chosenPayment(p) {
  if (opts.payment === undefined) return p.payments.at(-1);
  const pay = p.payments[Number(opts.payment) - 1];
  if (!pay) fail(`--payment ${opts.payment}: this purchase has ${p.payments.length} payment(s)`);
  return pay;
}

/** A new dispute, or a later state of the one opened on this payment (Stripe keeps the dispute's id). */
function dispute(p, status) {
  const pay = chosenPayment(p);
  p.disputes ??= {};
  const opened = status !== "needs_response" ? p.disputes[pay.chargeId] : null;
  const object = stripe.dispute(atPayment(p, pay), {
    ...(opened ? { id: opened.id, created: opened.created } : {}),
    status,
  });
  p.disputes[pay.chargeId] = { id: object.id, created: object.created };
  return object;
}

// ---- talking to the service ---------------------------------------------------------------------

async function request(method, path, options) {
  try {
    return await requestJson(base, method, path, options);
  } catch (err) {
    fail(
      `nothing answers on ${base} (${err.cause?.code ?? err.message}): start \`npm run dev\` first, or pass --port.`,
    );
  }
}

const admin = (path) => request("GET", path, { headers: { Authorization: `Bearer ${internalKey}` } });

// The service settles subscription events stamped within 2 s of its state by re-reading Stripe, which
// `npm run dev` does not have: space them 3 s apart, waiting when commands follow each other quickly.
async function spaceSubscriptionEvent(evt) {
  if (!evt.type.startsWith("customer.subscription.")) return;
  const waitSec = (state.lastSubscriptionEventAt ?? 0) + 3 - nowSec();
  if (waitSec > 0) {
    console.log(`  (waiting ${waitSec} s: subscription events closer than 2 s are re-read from Stripe)`);
    await new Promise((r) => setTimeout(r, waitSec * 1000));
  }
  evt.created = nextCreated();
  state.lastSubscriptionEventAt = evt.created;
}

async function send(evt) {
  await spaceSubscriptionEvent(evt);
  const payload = JSON.stringify(evt);
  const header = await stripeSignature(payload, webhookSecret);
  const res = await request("POST", "/subscriptions/webhook", {
    body: payload,
    headers: { "Stripe-Signature": header },
  });
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
  return (
    res.json?.licenses?.find((l) => (p.licenseId ? l.id === p.licenseId : l.checkout_session_id === p.sessionId)) ??
    null
  );
}

function describeLicense(l) {
  if (!l) return "no license for this purchase (yet)";
  const extra = l.status === "revoked" ? `, revoked at ${l.revoked_at} (${l.revoke_reason})` : "";
  const sub = l.subscription
    ? `; subscription ${l.subscription.status}, period end ${l.subscription.current_period_end}`
    : "";
  return `license ${l.id}: ${l.product} ${l.tier}, ${l.status}${extra}, expires ${l.expires_at}${sub}`;
}

/** Prints the license the Worker now holds for the purchase, with its key when there is one. */
async function showLicenseWithKey(p) {
  const license = await licenseOf(p);
  console.log(describeLicense(license));
  if (license) console.log(`key: ${license.key}`);
}

/** Records the payment of the period right after the purchase's current one, which becomes current. */
function payNextPeriod(p) {
  const pay = stripe.newPayment(p, { start: p.periodEnd, end: p.periodEnd + stripe.periodSec(p.interval) });
  p.payments.push(pay);
  p.periodStart = pay.period.start;
  p.periodEnd = pay.period.end;
  saveState();
  return pay;
}

// ---- commands -----------------------------------------------------------------------------------

async function purchase() {
  const p = newPurchase();
  saveState();
  console.log(`purchase: ${p.product} ${p.tier} (${p.interval}ly) by ${p.email} → ${base}`);
  // The order Stripe usually delivers, and the one that needs no Stripe API call: the subscription
  // (and its period) is known before the checkout that issues the license.
  await send(event("customer.subscription.created", stripe.subscription(p)));
  await send(event("checkout.session.completed", checkoutSession(p)));
  await send(event("invoice.payment_succeeded", invoice(p, p.payments[0])));
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
  const pay = payNextPeriod(p);
  console.log(`renewal: ${p.subscriptionId}, next period until ${new Date(p.periodEnd * 1000).toISOString()}`);
  await send(
    event("customer.subscription.updated", stripe.subscription(p), {
      items: { data: [{ current_period_end: pay.period.start }] },
    }),
  );
  await send(event("invoice.payment_succeeded", invoice(p, pay)));
  await showLicenseWithKey(p);
}

/** The next period paid, as `invoice.paid` alone says it (an invoice marked paid out of band fires nothing else). */
async function invoicePaid() {
  const p = lastPurchase();
  const pay = payNextPeriod(p);
  console.log(
    `invoice.paid: ${pay.invoiceId} for ${p.subscriptionId}, until ${new Date(p.periodEnd * 1000).toISOString()}`,
  );
  await send(event("invoice.paid", invoice(p, pay)));
  await showLicenseWithKey(p);
}

async function refund() {
  const p = lastPurchase();
  const pay = p.payments.at(-1);
  const amount = opts.partial ? Math.floor(pay.amount / 2) : pay.amount;
  console.log(
    `refund: ${opts.partial ? "partial" : "full"} (${amount} of ${pay.amount}) of ${pay.chargeId}, ${p.email}`,
  );
  await send(event("charge.refunded", charge(p, pay, amount), { amount_refunded: 0, refunded: false }));
  console.log(describeLicense(await licenseOf(p)));
}

async function cancel() {
  const p = lastPurchase();
  p.status = "canceled";
  saveState();
  console.log(`cancel: ${p.subscriptionId}`);
  await send(event("customer.subscription.deleted", canceled(p)));
  console.log(describeLicense(await licenseOf(p)));
}

async function upgrade() {
  const p = lastPurchase();
  const tier = opts.tier ?? "premium";
  if (!["base", "premium"].includes(tier)) fail(`unknown --tier ${tier}`);
  const previous = { id: p.priceId, lookup_key: `${p.product}_${p.tier}_${p.interval}` };
  p.purchasedTier ??= p.tier;
  p.tier = tier;
  p.amount = PRICES[tier][p.interval];
  p.priceId = stripeId("price");
  saveState();
  console.log(`upgrade: ${p.subscriptionId} to the ${p.product}_${tier}_${p.interval} price`);
  await send(
    event("customer.subscription.updated", stripe.subscription(p), { items: { data: [{ price: previous }] } }),
  );
  await showLicenseWithKey(p);
}

async function sendDispute(type, status) {
  const p = lastPurchase();
  const object = dispute(p, status);
  saveState();
  console.log(
    `${type === "charge.dispute.created" ? "dispute opened" : `dispute closed (${status})`}: ${object.id} on ${object.charge}, ${p.email}`,
  );
  await send(event(type, object));
  console.log(describeLicense(await licenseOf(p)));
}

const openDispute = () => sendDispute("charge.dispute.created", "needs_response");
const disputeWon = () => sendDispute("charge.dispute.closed", "won");
const disputeLost = () => sendDispute("charge.dispute.closed", "lost");

async function single(type) {
  const p = opts.new || state.purchases.length === 0 ? newPurchase() : lastPurchase();
  const pay = p.payments.at(-1);
  let object;
  if (type.startsWith("checkout.session.")) object = checkoutSession(p);
  else if (type.startsWith("invoice.")) object = invoice(p, pay);
  else if (type === "customer.subscription.deleted") object = canceled(p);
  else if (type.startsWith("customer.subscription.")) object = stripe.subscription(p);
  else if (type === "charge.refunded") object = charge(p, pay, opts.partial ? Math.floor(pay.amount / 2) : pay.amount);
  else if (type === "charge.dispute.created") object = dispute(p, "needs_response");
  else if (type.startsWith("charge.dispute.")) object = dispute(p, opts.status);
  else if (type.startsWith("charge.")) object = charge(p, pay);
  else object = { id: stripeId(type.split(".")[0]), object: type.split(".")[0], livemode: false };
  saveState();
  console.log(`${type} about ${p.subscriptionId} (${p.email})`);
  await send(event(type, object));
  console.log(describeLicense(await licenseOf(p)));
}

const commands = {
  purchase,
  renewal,
  "invoice.paid": invoicePaid,
  refund,
  cancel,
  upgrade,
  dispute: openDispute,
  "dispute-won": disputeWon,
  "dispute-lost": disputeLost,
};
if (commands[command]) await commands[command]();
else if (/^[a-z_]+(\.[a-z_]+)+$/.test(command)) await single(command);
else fail(`unknown command ${command}\n\n${HELP}`);
saveState();
