// GET /v1/invoices?subscription=…&status=…: the invoices a test gives Stripe, newest first (the nightly
// reconcile asks for a subscription's newest paid one).
import { http, HttpResponse } from "msw";
import { TEST_STRIPE_API_BASE } from "../../bindings";
import { server } from "../msw";
import type { invoice } from "./stripe-events";

type FakeInvoice = ReturnType<typeof invoice>;

export function useInvoiceList() {
  const invoices: FakeInvoice[] = [];
  const searches: URLSearchParams[] = [];
  server.use(
    http.get(`${TEST_STRIPE_API_BASE}/v1/invoices`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      searches.push(params);
      const data = invoices
        .filter((i) => i.parent?.subscription_details?.subscription === params.get("subscription"))
        .filter((i) => !params.get("status") || i.status === params.get("status"))
        .sort((a, b) => b.created - a.created)
        .slice(0, Number(params.get("limit") ?? 10));
      return HttpResponse.json({ object: "list", data, has_more: false, url: "/v1/invoices" });
    }),
  );
  return { invoices, searches };
}
