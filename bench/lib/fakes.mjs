// The third parties the worker calls, as small local HTTP servers on 127.0.0.1: Stripe's API (the
// calls the queue consumer makes), Resend's POST /emails, and Logto's JWKS. They answer from what
// the bench puts in them and record what they saw.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

async function listen(handler) {
  const server = http.createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((err) => {
      if (!res.headersSent) json(res, 500, { error: { type: "api_error", message: String(err?.message ?? err) } });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    server,
    origin,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

function json(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const notFound = (res, kind, id) =>
  json(res, 404, {
    error: {
      type: "invalid_request_error",
      code: "resource_missing",
      message: `No such ${kind}: '${id}'`,
      param: "id",
    },
  });

const list = (res, data, url) => json(res, 200, { object: "list", data, has_more: false, url });

/** Stripe's API: subscriptions, invoice payments, checkout line items, prices, events. */
export async function startFakeStripe() {
  const world = {
    subscriptions: new Map(),
    /** payment intent id → invoice payment (invoice expanded) */
    invoicePayments: new Map(),
    lineItems: new Map(),
    checkoutSessions: new Map(),
    prices: new Map(),
    events: new Map(),
    calls: new Map(),
  };
  const fake = await listen(async (req, res) => {
    const url = new URL(req.url, "http://stripe.local");
    const path = url.pathname;
    const route = path.replace(/\/(sub|price|evt|cs)_[A-Za-z0-9_]+/, "/:id");
    world.calls.set(`${req.method} ${route}`, (world.calls.get(`${req.method} ${route}`) ?? 0) + 1);
    if (req.method !== "GET")
      return json(res, 404, { error: { type: "invalid_request_error", message: `bench fake: ${req.method} ${path}` } });
    const subscription = path.match(/^\/v1\/subscriptions\/([^/]+)$/);
    if (subscription) {
      const m = subscription;
      const sub = world.subscriptions.get(m[1]);
      return sub ? json(res, 200, sub) : notFound(res, "subscription", m[1]);
    }
    if (path === "/v1/invoice_payments") {
      const found = world.invoicePayments.get(url.searchParams.get("payment[payment_intent]") ?? "");
      return list(res, found ? [found] : [], "/v1/invoice_payments");
    }
    // The success page asks for the license before the webhook issued it: the service asks Stripe whose session it is.
    const session = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/);
    if (session) {
      const found = world.checkoutSessions.get(session[1]);
      return found ? json(res, 200, found) : notFound(res, "checkout session", session[1]);
    }
    const lineItems = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/);
    if (lineItems) {
      const m = lineItems;
      return list(res, world.lineItems.get(m[1]) ?? [], path);
    }
    const priceId = path.match(/^\/v1\/prices\/([^/]+)$/);
    if (priceId) {
      const m = priceId;
      const price = world.prices.get(m[1]);
      return price ? json(res, 200, price) : notFound(res, "price", m[1]);
    }
    const event = path.match(/^\/v1\/events\/([^/]+)$/);
    if (event) {
      const m = event;
      const evt = world.events.get(m[1]);
      return evt ? json(res, 200, evt) : notFound(res, "event", m[1]);
    }
    return json(res, 404, { error: { type: "invalid_request_error", message: `bench fake: no route ${path}` } });
  });
  return { ...fake, world, callCounts: () => Object.fromEntries(world.calls) };
}

/** Resend's POST /emails: records when each recipient's email arrived; same Idempotency-Key → same id. */
export async function startFakeResend() {
  const byKey = new Map();
  const received = new Map(); // recipient → { at, text, id }
  const waiters = new Map(); // recipient → resolve
  let posts = 0;
  const fake = await listen(async (req, res) => {
    if (req.method !== "POST" || !req.url.startsWith("/emails"))
      return json(res, 404, { statusCode: 404, name: "not_found", message: "no route" });
    posts++;
    const body = JSON.parse(await readBody(req));
    const at = performance.now();
    const key = req.headers["idempotency-key"];
    const id = (key && byKey.get(key)) ?? randomUUID();
    if (key) byKey.set(key, id);
    for (const to of Array.isArray(body.to) ? body.to : [body.to]) {
      if (received.has(to)) continue;
      received.set(to, { at, text: String(body.text ?? ""), id });
      waiters.get(to)?.(received.get(to));
      waiters.delete(to);
    }
    json(res, 200, { id });
  });
  return {
    ...fake,
    posts: () => posts,
    /** Resolves with { at, text } once an email to `to` has arrived (at: performance.now() in this process). */
    emailTo(to, timeoutMs) {
      if (received.has(to)) return Promise.resolve(received.get(to));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(to);
          reject(new Error(`no email to ${to} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(to, (mail) => {
          clearTimeout(timer);
          resolve(mail);
        });
      });
    },
  };
}

/** Logto's JWKS at /oidc/jwks with a fresh ES384 key, and access tokens signed like Logto signs them. */
export async function startFakeLogto({ resource }) {
  const kid = `bench-${randomUUID().slice(0, 8)}`;
  const { privateKey, publicKey } = await generateKeyPair("ES384", { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES384", use: "sig" };
  let hits = 0;
  const fake = await listen((req, res) => {
    if (req.method === "GET" && req.url === "/oidc/jwks") {
      hits++;
      return json(res, 200, { keys: [publicJwk] });
    }
    json(res, 404, { error: "not_found" });
  });
  return {
    ...fake,
    hits: () => hits,
    async signAccessToken(sub) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ client_id: "desktop-app", scope: "", jti: randomUUID() })
        .setProtectedHeader({ alg: "ES384", typ: "at+jwt", kid })
        .setSubject(sub)
        .setIssuer(`${fake.origin}/oidc`)
        .setAudience(resource)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(privateKey);
    },
  };
}
