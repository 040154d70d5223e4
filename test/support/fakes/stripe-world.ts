// A fake of the Stripe API calls the webhook consumer makes (subscriptions, invoice payments, line
// items, prices, events), answering from the objects a test puts in its "world".
import { http, HttpResponse } from "msw";
import { TEST_STRIPE_API_BASE } from "../../bindings";
import { stripeNotFound } from "./stripe-api";

export interface StripeWorld {
  subscriptions: Map<string, any>;
  /** payment intent id → invoice payment object (with its invoice expanded) */
  invoicePayments: Map<string, any>;
  lineItems: Map<string, any[]>;
  prices: Map<string, any>;
  events: Map<string, any>;
  calls: { method: string; path: string; search: string }[];
  /** Make the next N calls fail with this HTTP status (Stripe down). */
  failNext: { count: number; status: number };
}

export const createStripeWorld = (): StripeWorld => ({
  subscriptions: new Map(),
  invoicePayments: new Map(),
  lineItems: new Map(),
  prices: new Map(),
  events: new Map(),
  calls: [],
  failNext: { count: 0, status: 500 },
});

const list = (data: unknown[], url: string) => HttpResponse.json({ object: "list", data, has_more: false, url });

export function stripeWorldHandlers(world: StripeWorld) {
  const api = (path: string) => `${TEST_STRIPE_API_BASE}${path}`;
  const seen = (request: { url: string; method: string }) => {
    const url = new URL(request.url);
    world.calls.push({ method: request.method, path: url.pathname, search: decodeURIComponent(url.search) });
    if (world.failNext.count > 0) {
      world.failNext.count--;
      return HttpResponse.json(
        { error: { type: "api_error", message: "Stripe is having a bad day" } },
        { status: world.failNext.status },
      );
    }
    return null;
  };
  return [
    http.get(api("/v1/subscriptions/:id"), ({ request, params }) => {
      const failure = seen(request);
      if (failure) return failure;
      const sub = world.subscriptions.get(String(params.id));
      return sub ? HttpResponse.json(sub) : stripeNotFound("subscription", String(params.id));
    }),
    http.get(api("/v1/invoice_payments"), ({ request }) => {
      const failure = seen(request);
      if (failure) return failure;
      const params = new URL(request.url).searchParams;
      const invoiceId = params.get("invoice");
      if (invoiceId) {
        const paid = [...world.invoicePayments.values()].filter(
          (ip) => (typeof ip.invoice === "string" ? ip.invoice : ip.invoice?.id) === invoiceId,
        );
        return list(
          paid.map((ip) => ({ ...ip, invoice: invoiceId })),
          "/v1/invoice_payments",
        );
      }
      const found = world.invoicePayments.get(params.get("payment[payment_intent]") ?? "");
      return list(found ? [found] : [], "/v1/invoice_payments");
    }),
    http.get(api("/v1/checkout/sessions/:id/line_items"), ({ request, params }) => {
      const failure = seen(request);
      if (failure) return failure;
      return list(world.lineItems.get(String(params.id)) ?? [], `/v1/checkout/sessions/${params.id}/line_items`);
    }),
    http.get(api("/v1/prices/:id"), ({ request, params }) => {
      const failure = seen(request);
      if (failure) return failure;
      const found = world.prices.get(String(params.id));
      return found ? HttpResponse.json(found) : stripeNotFound("price", String(params.id));
    }),
    http.get(api("/v1/events/:id"), ({ request, params }) => {
      const failure = seen(request);
      if (failure) return failure;
      const found = world.events.get(String(params.id));
      return found ? HttpResponse.json(found) : stripeNotFound("event", String(params.id));
    }),
  ];
}
