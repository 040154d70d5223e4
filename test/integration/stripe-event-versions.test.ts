// Issue 22 item 2: events in the right version. `GET /v1/events/{id}` answers an event as it was rendered
// when created, in the account's default API version then, not the webhook endpoint's. Where the service
// reads an event back (too large for a queue message; a replay of one recorded without its payload) and the
// event is in another version, the object is re-read through the pinned client, and the handler applies
// the right change.
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { stripeEvents } from "../../src/db/schema";
import { TEST_INTERNAL_KEYS, TEST_STRIPE_API_BASE } from "../bindings";
import { testDb } from "../support/db";
import { stripeNotFound } from "../support/fakes/stripe-api";
import { atPayment, deliver, event, invoice, subscription } from "../support/fakes/stripe-events";
import { api, expectStatus } from "../support/api";
import { server } from "../support/msw";
import {
  expirySec,
  licenseById,
  licenseOfSession,
  periodEndSec,
  renewalOf,
  settled,
  subscriptionByStripeId,
  tokensOf,
  subscribed,
} from "../support/stripe-scenario";

const DAY = 86_400;
const GRACE = 7 * DAY;
const OLD_VERSION = "2024-06-20";
const auth = { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}` };

/** Invoices Stripe holds, answered by GET /v1/invoices/{id} in the pinned version. */
function useInvoices() {
  const invoices = new Map<string, unknown>();
  const reads: string[] = [];
  server.use(
    http.get(`${TEST_STRIPE_API_BASE}/v1/invoices/:id`, ({ params }) => {
      reads.push(String(params.id));
      const found = invoices.get(String(params.id));
      return found ? HttpResponse.json(found) : stripeNotFound("invoice", String(params.id));
    }),
  );
  return { invoices, reads };
}

/** The invoice as a pre-2025 version rendered it: the subscription at the top, no `parent` anywhere. */
function invoiceInOldVersion(pinned: ReturnType<typeof invoice>, subscriptionId: string) {
  const { parent: _parent, ...rest } = pinned;
  return {
    ...rest,
    subscription: subscriptionId,
    lines: {
      ...pinned.lines,
      data: pinned.lines.data.map((line) => {
        const { parent: _p, ...rest } = line;
        return { ...rest, subscription: subscriptionId };
      }),
    },
  };
}

describe("events read back from Stripe in another API version", () => {
  it("2: an over-size renewal event rendered in an older version: the invoice is re-read in ours and the license extended", async () => {
    const { world, p, license } = await subscribed();
    const { invoices, reads } = useInvoices();
    const pay = renewalOf(p);
    // Over 100 KiB of UTF-8: the webhook queues it by id, and the consumer reads it back.
    const pinned = invoice(atPayment(p, pay), pay.period, { description: "é".repeat(60_000) });
    invoices.set(pay.invoiceId, pinned);
    const e = event("invoice.payment_succeeded", pinned);
    world.events.set(e.id, {
      ...e,
      api_version: OLD_VERSION,
      data: { object: invoiceInOldVersion(pinned, p.subscriptionId) },
    });

    expect((await deliver(e)).status).toBe(200);
    expect(await settled(e.id)).toMatchObject({ status: "processed" });
    expect(world.calls.some((c) => c.path === `/v1/events/${e.id}`)).toBe(true);
    expect(reads).toEqual([pay.invoiceId]);
    expect(await expirySec(license.id)).toBe(pay.period.end + GRACE);
    expect(await tokensOf(license.id)).toHaveLength(2);
    expect(await periodEndSec(p.subscriptionId)).toBe(pay.period.end);
  });

  it("2: an over-size event already in our version is used as Stripe answers it, with no second read", async () => {
    const { world, p, license } = await subscribed();
    const { reads } = useInvoices();
    const pay = renewalOf(p);
    const e = event("invoice.paid", invoice(atPayment(p, pay), pay.period, { description: "é".repeat(60_000) }));
    world.events.set(e.id, e);
    expect((await deliver(e)).status).toBe(200);
    expect(await settled(e.id)).toMatchObject({ status: "processed" });
    expect(reads).toEqual([]);
    expect(await expirySec(license.id)).toBe(pay.period.end + GRACE);
  });

  it("2: an admin replay of an event recorded without its payload, answered in an older version: the subscription is re-read in ours", async () => {
    const { world, p } = await subscribed();
    const renewed = { ...p, periodStart: p.periodEnd, periodEnd: p.periodEnd + 30 * DAY };
    const current = subscription(renewed, {}, { lookup_key: "simpl-resultat_premium_month" });
    const e = event("customer.subscription.updated", current, { created: p.periodStart + 60 });
    // Before the 2025 versions the period sat on the subscription, not on its items.
    const items = current.items.data.map((item) => {
      const { current_period_end: _e, current_period_start: _s, ...rest } = item;
      return rest;
    });
    const old = { ...current, current_period_end: renewed.periodEnd, items: { ...current.items, data: items } };
    world.events.set(e.id, { ...e, api_version: OLD_VERSION, data: { object: old } });
    // What the dead-letter consumer records when a message lost its payload.
    await testDb()
      .insert(stripeEvents)
      .values({
        id: e.id,
        type: e.type,
        createdSec: e.created,
        livemode: false,
        status: "failed",
        payload: { id: e.id },
      });
    world.subscriptions.set(p.subscriptionId, current);

    // An empty body is what no body reads as (the reason is optional); the typed client always sends one.
    await expectStatus(api.admin.events[":id"].replay.$post({ param: { id: e.id }, json: {} }, { headers: auth }), 202);
    expect(await settled(e.id)).toMatchObject({ status: "processed" });
    expect(world.calls.filter((c) => c.path === `/v1/subscriptions/${p.subscriptionId}`).length).toBeGreaterThan(0);
    const row = await subscriptionByStripeId(p.subscriptionId);
    expect(row).toMatchObject({ tier: "premium" });
    expect(row!.currentPeriodEnd!.getTime() / 1000).toBe(renewed.periodEnd);
    expect(await licenseById((await licenseOfSession(p.sessionId)).id)).toMatchObject({ tier: "premium" });
  });
});
