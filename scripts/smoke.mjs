// npm run smoke -- --url https://api.example.com --webhook-secret whsec_… --internal-key …
// Checks a deployed instance (Stripe test mode) from outside: health, JWKS, and one signed test event
// carried webhook → queue → consumer, read back with the internal API. Prints what it saw; exits 1 on
// the first failure. The event changes nothing: a charge.refunded with no payment intent is
// "not one of ours", recorded as `ignored`.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { requestJson } from "../tools/http/json-request.mjs";
import { stripeSignature } from "../tools/stripe/sign.mjs";

const HELP = `Usage: npm run smoke -- --url <base URL> [options]

  --url URL               the deployed service, e.g. https://api.maximus.example (required)
  --webhook-secret whsec  the endpoint's signing secret (default: $STRIPE_WEBHOOK_SECRET, first of a list)
  --internal-key KEY      an INTERNAL_API_KEYS value (default: $INTERNAL_API_KEY)
  --livemode              send a live-mode event (default: test mode, as the deployment under test)
  --timeout SECONDS       how long to wait for the consumer (default 60)`;

const { values: opts } = parseArgs({
  options: {
    url: { type: "string" },
    "webhook-secret": { type: "string", default: (process.env.STRIPE_WEBHOOK_SECRET ?? "").split(",")[0] },
    "internal-key": { type: "string", default: process.env.INTERNAL_API_KEY ?? "" },
    livemode: { type: "boolean", default: false },
    timeout: { type: "string", default: "60" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help || !opts.url || !opts["webhook-secret"] || !opts["internal-key"]) {
  console.log(HELP);
  process.exit(opts.help ? 0 : 1);
}
const base = opts.url.replace(/\/+$/, "");
const started = Date.now();
const say = (step, text) =>
  console.log(`${`[${((Date.now() - started) / 1000).toFixed(1)}s]`.padEnd(8)} ${step.padEnd(8)} ${text}`);

function fail(step, text) {
  say(step, `FAIL ${text}`);
  process.exit(1);
}

async function get(path, headers = {}) {
  const res = await requestJson(base, "GET", path, { headers });
  return { ...res, text: res.text.slice(0, 300) };
}

// 1. Health: the Worker answers and reaches the database.
const health = await get("/health");
if (health.status !== 200 || health.json?.status !== "ok") fail("health", `${health.status} ${health.text}`);
say("health", `${health.status} ${JSON.stringify(health.json)}`);

// 2. JWKS: public Ed25519 keys only.
const jwks = await get("/.well-known/jwks.json");
const keys = jwks.json?.keys;
if (jwks.status !== 200 || !Array.isArray(keys) || keys.length === 0) fail("jwks", `${jwks.status} ${jwks.text}`);
if (keys.some((k) => "d" in k)) fail("jwks", "a key carries its private part (d)");
if (keys.some((k) => k.kty !== "OKP" || k.crv !== "Ed25519" || !k.kid))
  fail("jwks", `unexpected key shape ${JSON.stringify(keys)}`);
say("jwks", `${jwks.status} ${keys.length} key(s): ${keys.map((k) => k.kid).join(", ")}`);

// 3. A signed event, as Stripe signs it (t=…,v1=HMAC-SHA256 of "t.payload").
const suffix = randomUUID().replaceAll("-", "").slice(0, 24);
const created = Math.floor(Date.now() / 1000);
const event = {
  id: `evt_smoke_${suffix}`,
  object: "event",
  api_version: "2026-10-28.endive",
  created,
  livemode: opts.livemode,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type: "charge.refunded",
  data: {
    object: {
      id: `ch_smoke_${suffix}`,
      object: "charge",
      amount: 0,
      amount_refunded: 0,
      refunded: false,
      currency: "eur",
      payment_intent: null,
      livemode: opts.livemode,
      created,
      metadata: { smoke: "true" },
    },
  },
};
const payload = JSON.stringify(event);
const webhook = await fetch(`${base}/subscriptions/webhook`, {
  method: "POST",
  headers: {
    "content-type": "application/json",
    "stripe-signature": await stripeSignature(payload, opts["webhook-secret"], created),
  },
  body: payload,
});
const answer = await webhook.text();
if (webhook.status !== 200) fail("webhook", `${webhook.status} ${answer.slice(0, 300)}`);
if (JSON.parse(answer).ignored)
  fail(
    "webhook",
    `${answer} (is the deployment in ${opts.livemode ? "test" : "live"} mode? try ${opts.livemode ? "without" : "with"} --livemode)`,
  );
say("webhook", `${webhook.status} ${answer} for ${event.id}`);

// 4. The consumer's record of it, through the internal API.
const auth = { Authorization: `Bearer ${opts["internal-key"]}` };
const deadline = Date.now() + Number(opts.timeout) * 1000;
for (;;) {
  const res = await get("/admin/events?limit=200", auth);
  if (res.status !== 200) fail("queue", `GET /admin/events → ${res.status} ${res.text}`);
  const row = res.json.events.find((e) => e.id === event.id);
  if (row && row.status !== "received") {
    if (row.status !== "ignored") fail("queue", `unexpected outcome ${JSON.stringify(row)}`);
    say("queue", `consumed: ${JSON.stringify(row)}`);
    break;
  }
  if (Date.now() > deadline)
    fail("queue", `${event.id} not consumed within ${opts.timeout}s (last seen: ${JSON.stringify(row ?? null)})`);
  await new Promise((r) => setTimeout(r, 500));
}
say("ok", `all checks passed against ${base}`);
