// Stripe's API at the HTTP level, for the calls the service makes. Responses start from Stripe's own
// example objects (stripe-fixtures.json, a copy of /work/shared/stripe/fixtures.json) with the fields a
// scenario needs set. The SDK sends form-encoded bodies: the recorder keeps them as flat
// `metadata[product]`-style keys so tests assert exactly what Stripe would receive.
import { http, HttpResponse } from "msw";
import { TEST_STRIPE_API_BASE } from "../../bindings";
import fixtures from "../../../tools/stripe/stripe-fixtures.json";

interface HeadersLike {
  get(name: string): string | null;
}

export interface StripeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  headers: HeadersLike;
}

export interface StripeRecorder {
  requests: StripeRequest[];
  /** Checkout sessions the fake knows, by id: those it created plus any a test seeds. */
  checkoutSessions: Map<string, Record<string, unknown>>;
}

export const createStripeRecorder = (): StripeRecorder => ({ requests: [], checkoutSessions: new Map() });

export const requestsTo = (recorder: StripeRecorder, method: string, path: string) =>
  recorder.requests.filter((r) => r.method === method && r.path === path);

const api = (path: string) => `${TEST_STRIPE_API_BASE}${path}`;
const randomId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
const clone = <T>(value: T): T => structuredClone(value);

// msw hands over a DOM-typed Request; only these members are read.
type RequestLike = { url: string; method: string; headers: HeadersLike; text(): Promise<string> };

async function record(recorder: StripeRecorder, request: RequestLike): Promise<StripeRequest> {
  const url = new URL(request.url);
  const source = request.method === "GET" ? url.search.slice(1) : await request.text();
  const entry = {
    method: request.method,
    path: url.pathname,
    params: Object.fromEntries(new URLSearchParams(source)),
    headers: request.headers,
  };
  recorder.requests.push(entry);
  return entry;
}

/** `metadata[product]=x` form keys back into `{ product: "x" }`. */
export function formObject(params: Record<string, string>, name: string): Record<string, string> {
  const prefix = `${name}[`;
  return Object.fromEntries(
    Object.entries(params)
      .filter(([k]) => k.startsWith(prefix) && /^[^[\]]+\]$/.test(k.slice(prefix.length)))
      .map(([k, v]) => [k.slice(prefix.length, -1), v]),
  );
}

export function stripeNotFound(kind: string, id: string) {
  return HttpResponse.json(
    {
      error: {
        type: "invalid_request_error",
        code: "resource_missing",
        message: `No such ${kind}: '${id}'`,
        param: "id",
      },
    },
    { status: 404 },
  );
}

/** A recurring price as Stripe lists it, sold under `lookupKey` (`<product>_<tier>_<interval>`). */
function fakePrice(lookupKey: string) {
  const interval = lookupKey.endsWith("_year") ? "year" : "month";
  return {
    ...clone(fixtures.resources.price),
    id: randomId("price"),
    lookup_key: lookupKey,
    recurring: { ...clone(fixtures.resources.price.recurring), interval },
  };
}

/** A checkout session owned by `logtoUserId`, as Stripe would return it on retrieve. */
export function fakeCheckoutSession(over: Record<string, unknown> = {}) {
  const id = (over.id as string | undefined) ?? randomId("cs_test");
  return {
    ...clone(fixtures.resources["checkout.session"]),
    mode: "subscription",
    payment_intent: null,
    url: `https://checkout.stripe.com/c/pay/${id}`,
    ...over,
    id,
  };
}

/**
 * Prices (by lookup key), Checkout Sessions (create, retrieve) and billing portal sessions.
 * `lookupKeys` are the prices on sale; every other lookup key lists nothing.
 */
export function stripeCheckoutHandlers(recorder: StripeRecorder, options: { lookupKeys?: string[] } = {}) {
  const catalog = new Map((options.lookupKeys ?? []).map((k) => [k, fakePrice(k)]));
  return [
    http.get(api("/v1/prices"), async ({ request }) => {
      const { params } = await record(recorder, request);
      const wanted = Object.entries(params)
        .filter(([k]) => k.startsWith("lookup_keys["))
        .map(([, v]) => v);
      const data = wanted.flatMap((k) => (catalog.has(k) ? [catalog.get(k)!] : []));
      return HttpResponse.json({ object: "list", data, has_more: false, url: "/v1/prices" });
    }),
    http.post(api("/v1/checkout/sessions"), async ({ request }) => {
      const { params } = await record(recorder, request);
      const metadata = formObject(params, "metadata");
      const session = fakeCheckoutSession({
        client_reference_id: params.client_reference_id ?? null,
        customer: params.customer ?? null,
        customer_email: params.customer_email ?? null,
        metadata,
        success_url: params.success_url,
        cancel_url: params.cancel_url,
        status: "open",
        payment_status: "unpaid",
      });
      recorder.checkoutSessions.set(session.id, session);
      return HttpResponse.json(session);
    }),
    http.get(api("/v1/checkout/sessions/:id"), async ({ request, params }) => {
      await record(recorder, request);
      const session = recorder.checkoutSessions.get(String(params.id));
      return session ? HttpResponse.json(session) : stripeNotFound("checkout.session", String(params.id));
    }),
    http.post(api("/v1/billing_portal/sessions"), async ({ request }) => {
      const { params } = await record(recorder, request);
      return HttpResponse.json({
        ...clone(fixtures.resources["billing_portal.session"]),
        id: randomId("bps"),
        livemode: false,
        customer: params.customer,
        return_url: params.return_url ?? null,
        flow: null,
        url: `https://billing.stripe.com/p/session/test_${crypto.randomUUID()}`,
      });
    }),
  ];
}

/** Stripe unreachable: every API call fails at the network level. */
export const stripeDownHandlers = (recorder: StripeRecorder) => [
  http.all(api("/v1/*"), async ({ request }) => {
    await record(recorder, request);
    return HttpResponse.error();
  }),
];
