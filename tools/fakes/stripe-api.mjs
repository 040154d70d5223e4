// @ts-check
// Stripe's API at the HTTP level, for the calls the service makes (src/integrations/stripe/gateway.ts):
// prices, Checkout Sessions and their line items, billing portal sessions, subscriptions, invoice
// payments and events. One "world" holds what Stripe knows; a test or the bench puts objects in it and
// reads back what was asked. Answers are Stripe's: a list envelope, `resource_missing` 404s, objects
// expanded only where the request's `expand[]` asked (the stored object may hold the expanded form).
// The SDK sends form-encoded bodies and query strings: `params` keeps them as flat `metadata[product]` keys.
/** @import Stripe from "stripe" */
import fixtures from "../stripe/stripe-fixtures.json" with { type: "json" };
import { json, networkError, router } from "./respond.mjs";

/** @type {{ price: Stripe.Price; "checkout.session": Stripe.Checkout.Session; "billing_portal.session": Stripe.BillingPortal.Session }} */
const resources = /** @type {any} */ (fixtures.resources);
/** @template T @param {T} v @returns {T} */
const clone = (v) => structuredClone(v);
const randomId = (/** @type {string} */ prefix) => `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;

/**
 * @typedef {{ get(name: string): string | null }} HeadersLike
 * @typedef {{ method: string; path: string; search: string; params: Record<string, string>; headers: HeadersLike }} StripeRequest
 * @typedef {{
 *   subscriptions: Map<string, Stripe.Subscription>;
 *   invoicePayments: Map<string, Stripe.InvoicePayment>;
 *   lineItems: Map<string, Stripe.LineItem[]>;
 *   prices: Map<string, Stripe.Price>;
 *   events: Map<string, { id: string; object: "event"; type: string; api_version?: string | null; data?: { object: unknown } }>;
 *   checkoutSessions: Map<string, Stripe.Checkout.Session>;
 *   catalog: Map<string, Stripe.Price>;
 *   calls: StripeRequest[];
 *   failNext: { count: number; status: number };
 *   down: boolean;
 * }} StripeWorld
 * `events`: by id, as `GET /v1/events/{id}` answers them (in whichever API version a test renders them);
 * `invoicePayments`: payment intent id → invoice payment (its invoice expanded); `catalog`: lookup key →
 * the active price on sale; `failNext`: the next N calls answer this status (Stripe having a bad day);
 * `down`: every call fails at the network level (Stripe unreachable).
 */

/** @param {{ lookupKeys?: string[] }} [options] @returns {StripeWorld} */
export function createStripeWorld(options = {}) {
  return {
    subscriptions: new Map(),
    invoicePayments: new Map(),
    lineItems: new Map(),
    prices: new Map(),
    events: new Map(),
    checkoutSessions: new Map(),
    catalog: new Map((options.lookupKeys ?? []).map((k) => [k, catalogPrice(k)])),
    calls: [],
    failNext: { count: 0, status: 500 },
    down: false,
  };
}

/** @param {StripeWorld} world @param {string} method @param {string} path */
export const requestsTo = (world, method, path) => world.calls.filter((r) => r.method === method && r.path === path);

/** `metadata[product]=x` form keys back into `{ product: "x" }`. @param {Record<string, string>} params @param {string} name */
export function formObject(params, name) {
  const prefix = `${name}[`;
  return Object.fromEntries(
    Object.entries(params)
      .filter(([k]) => k.startsWith(prefix) && /^[^[\]]+\]$/.test(k.slice(prefix.length)))
      .map(([k, v]) => [k.slice(prefix.length, -1), v]),
  );
}

/** @param {string} kind @param {string} id */
export const stripeNotFound = (kind, id) =>
  json(
    {
      error: {
        type: "invalid_request_error",
        code: "resource_missing",
        message: `No such ${kind}: '${id}'`,
        param: "id",
      },
    },
    404,
  );

/** A recurring price as Stripe lists it, sold under `lookupKey` (`<product>_<tier>_<interval>`). @param {string} lookupKey */
export function catalogPrice(lookupKey) {
  const interval = lookupKey.endsWith("_year") ? "year" : "month";
  const recurring = /** @type {Stripe.Price.Recurring} */ (clone(resources.price.recurring));
  return /** @satisfies {Stripe.Price} */ ({
    ...clone(resources.price),
    id: randomId("price"),
    lookup_key: lookupKey,
    recurring: { ...recurring, interval },
  });
}

/** A checkout session as Stripe returns it on create or retrieve (open, subscription mode unless `over` says otherwise).
 * @param {Partial<Stripe.Checkout.Session>} [over] */
export function fakeCheckoutSession(over = {}) {
  const id = over.id ?? randomId("cs_test");
  return /** @satisfies {Stripe.Checkout.Session} */ ({
    ...clone(resources["checkout.session"]),
    mode: "subscription",
    payment_intent: null,
    url: `https://checkout.stripe.com/c/pay/${id}`,
    ...over,
    id,
  });
}

/** Stripe's list envelope. @param {unknown[]} data @param {string} url */
const list = (data, url) => json({ object: "list", data, has_more: false, url });

/** The `expand[]` paths a request asked for. @param {Record<string, string>} params */
const expansions = (params) =>
  Object.entries(params)
    .filter(([k]) => /^expand\[\d*\]$/.test(k))
    .map(([, v]) => v);

/**
 * The object as Stripe renders it for this request: each expandable field at `paths` (dotted, as
 * `expand[]` names them, `data.` stripped for list items) is an id unless `asked` names it.
 * @param {any} object @param {string[]} paths @param {string[]} asked
 */
function render(object, paths, asked) {
  const out = clone(object);
  for (const path of paths) {
    if (asked.includes(path)) continue;
    const keys = path.split(".");
    let parent = out;
    for (const k of keys.slice(0, -1)) parent = parent?.[k];
    const last = /** @type {string} */ (keys.at(-1));
    if (parent?.[last] && typeof parent[last] === "object") parent[last] = parent[last].id;
  }
  return out;
}

/** @param {string[]} asked the request's expand[], `data.` dropped: what a list item expands */
const itemExpansions = (asked) => asked.filter((p) => p.startsWith("data.")).map((p) => p.slice("data.".length));

/** @param {StripeWorld} world @returns {import("./respond.mjs").FakeHandler} */
export function stripeApi(world) {
  const routes = router([
    [
      "GET",
      /^\/v1\/prices$/,
      (_r, _m, url) => {
        const params = paramsOf(url.search.slice(1));
        const wanted = Object.entries(params)
          .filter(([k]) => k.startsWith("lookup_keys["))
          .map(([, v]) => v);
        return list(
          wanted.flatMap((k) => (world.catalog.has(k) ? [world.catalog.get(k)] : [])),
          "/v1/prices",
        );
      },
    ],
    [
      "GET",
      /^\/v1\/prices\/([^/]+)$/,
      (_r, [, id], url) => {
        const price = world.prices.get(id);
        return price
          ? json(render(price, ["product"], expansions(paramsOf(url.search.slice(1)))))
          : stripeNotFound("price", id);
      },
    ],
    [
      "POST",
      /^\/v1\/checkout\/sessions$/,
      async (request) => {
        const params = paramsOf(await formText(request));
        const session = fakeCheckoutSession({
          client_reference_id: params.client_reference_id ?? null,
          customer: params.customer ?? null,
          customer_email: params.customer_email ?? null,
          metadata: formObject(params, "metadata"),
          success_url: params.success_url,
          cancel_url: params.cancel_url,
          status: "open",
          payment_status: "unpaid",
        });
        world.checkoutSessions.set(session.id, session);
        return json(session);
      },
    ],
    [
      "GET",
      /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/,
      (_r, [path, id], url) => {
        const asked = itemExpansions(expansions(paramsOf(url.search.slice(1))));
        const items = (world.lineItems.get(id) ?? []).map((item) => render(item, ["price.product"], asked));
        return list(items, path);
      },
    ],
    [
      "GET",
      /^\/v1\/checkout\/sessions\/([^/]+)$/,
      (_r, [, id]) => {
        const session = world.checkoutSessions.get(id);
        return session ? json(session) : stripeNotFound("checkout.session", id);
      },
    ],
    [
      "POST",
      /^\/v1\/billing_portal\/sessions$/,
      async (request) => {
        const params = paramsOf(await formText(request));
        return json(
          /** @satisfies {Stripe.BillingPortal.Session} */ ({
            ...clone(resources["billing_portal.session"]),
            id: randomId("bps"),
            livemode: false,
            customer: params.customer ?? "",
            return_url: params.return_url ?? null,
            flow: null,
            url: `https://billing.stripe.com/p/session/test_${crypto.randomUUID()}`,
          }),
        );
      },
    ],
    [
      "GET",
      /^\/v1\/subscriptions\/([^/]+)$/,
      (_r, [, id]) => {
        const sub = world.subscriptions.get(id);
        return sub ? json(sub) : stripeNotFound("subscription", id);
      },
    ],
    [
      "GET",
      /^\/v1\/invoice_payments$/,
      (_r, _m, url) => {
        const params = paramsOf(url.search.slice(1));
        const asked = itemExpansions(expansions(params));
        const invoiceOf = (/** @type {any} */ ip) => (typeof ip.invoice === "string" ? ip.invoice : ip.invoice?.id);
        let found = [...world.invoicePayments.values()];
        if (params.invoice) found = found.filter((ip) => invoiceOf(ip) === params.invoice);
        // payment[type] filters by the kind of payment; payment[payment_intent] names one (Stripe requires the type with it).
        if (params["payment[type]"]) found = found.filter((ip) => ip.payment?.type === params["payment[type]"]);
        if (params["payment[payment_intent]"])
          found = found.filter((ip) => ip.payment?.payment_intent === params["payment[payment_intent]"]);
        if (!params.invoice && !params["payment[payment_intent]"]) found = [];
        const limit = Number(params.limit ?? 10);
        return list(
          found.slice(0, limit).map((ip) => render(ip, ["invoice"], asked)),
          "/v1/invoice_payments",
        );
      },
    ],
    [
      "GET",
      /^\/v1\/events\/([^/]+)$/,
      (_r, [, id]) => {
        const evt = world.events.get(id);
        return evt ? json(evt) : stripeNotFound("event", id);
      },
    ],
  ]);
  return async (request) => {
    const url = new URL(request.url);
    if (!url.pathname.startsWith("/v1/")) return undefined;
    const body = request.method === "GET" ? url.search.slice(1) : await formText(request.clone());
    world.calls.push({
      method: request.method,
      path: url.pathname,
      search: decodeURIComponent(url.search),
      params: paramsOf(body),
      headers: request.headers,
    });
    if (world.down) return networkError();
    if (world.failNext.count > 0) {
      world.failNext.count--;
      return json({ error: { type: "api_error", message: "Stripe is having a bad day" } }, world.failNext.status);
    }
    return routes(request);
  };
}

/** @param {string} form */
const paramsOf = (form) => Object.fromEntries(new URLSearchParams(form));

/** The SDK's form-encoded body (read as bytes: workerd warns on .text() of a non-text content type). @param {Request} request */
const formText = async (request) => new TextDecoder().decode(await request.arrayBuffer());
