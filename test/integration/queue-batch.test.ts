import { describe, expect, it } from "vitest";
import { stripeEvents } from "../../src/db/schema";
import { consume, stripeEventMessage } from "../support/queue";
import { testDb } from "../support/db";
import { charge, event, invoicePayment, newPurchase } from "../support/fakes/stripe-events";
import {
  eventRow,
  licenseOfSession,
  licensesOfSession,
  outboxOf,
  paymentOf,
  useStripeScenario,
  subscriptionCheckout,
} from "../support/stripe-scenario";

// One queue batch as the platform hands it to the consumer: several messages, claimed and
// recorded together, each acked or retried on its own.
async function consumeBatch(events: ReturnType<typeof event>[]) {
  const messages = events.map((e) => stripeEventMessage(e));
  const result = await consume("maximus-events", messages);
  const idOf = (msgId: string) => messages.find((m) => m.id === msgId)!.body.eventId;
  return { acked: result.explicitAcks.map(idOf), retried: result.retryMessages.map((m) => idOf(m.msgId)) };
}

describe("queue consumer: a batch at once", () => {
  it("a batch with several customers' purchases issues each its license and email, every event processed", async () => {
    const { world } = useStripeScenario();
    const purchases = [newPurchase(), newPurchase(), newPurchase(), newPurchase()];
    const events = purchases.map((p) => subscriptionCheckout(p, world));

    const { acked, retried } = await consumeBatch(events);

    expect(retried).toEqual([]);
    expect(acked.sort()).toEqual(events.map((e) => e.id).sort());
    for (const [i, p] of purchases.entries()) {
      const license = await licenseOfSession(p.sessionId);
      expect(license).toMatchObject({ email: p.email, product: p.product, status: "active" });
      expect(await outboxOf(license.id)).toHaveLength(1);
      expect(await eventRow(events[i]!.id)).toMatchObject({ status: "processed", attempts: 1, lockedUntil: null });
    }
  });

  it("one customer's events in one batch apply in order: the checkout issues, then its refund revokes the license it finds", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase();
    const other = newPurchase();
    const bought = subscriptionCheckout(p, world);
    world.invoicePayments.set(p.paymentIntentId, invoicePayment(p));
    const refunded = event("charge.refunded", charge(p));
    const otherBought = subscriptionCheckout(other, world);

    const { acked, retried } = await consumeBatch([bought, otherBought, refunded]);

    expect(retried).toEqual([]);
    expect(acked).toHaveLength(3);
    const license = await licenseOfSession(p.sessionId);
    expect(license).toMatchObject({ status: "revoked", revokeReason: "refund" });
    // Applied after the checkout: the refund found the license itself (no "recorded before its checkout" note).
    expect(await eventRow(refunded.id)).toMatchObject({ status: "processed", lastError: null });
    expect(await paymentOf(p.paymentIntentId)).toMatchObject({
      licenseId: license.id,
      fullyRefundedAt: expect.any(Date),
    });
    expect(await licenseOfSession(other.sessionId)).toMatchObject({ status: "active" });
  });

  it("a batch claim: an event already applied is acked as a duplicate, one leased elsewhere is retried alone, the rest applied", async () => {
    const { world } = useStripeScenario();
    const [done, busy, fresh] = [newPurchase(), newPurchase(), newPurchase()].map((p) => ({
      p,
      e: subscriptionCheckout(p, world),
    }));
    const row = (e: ReturnType<typeof event>, over: Partial<typeof stripeEvents.$inferInsert>) => ({
      id: e.id,
      type: e.type,
      createdSec: e.created,
      livemode: false,
      payload: e,
      attempts: 1,
      ...over,
    });
    const leasedUntil = new Date(Date.now() + 60_000);
    await testDb()
      .insert(stripeEvents)
      .values([
        row(done!.e, { status: "processed", processedAt: new Date() }),
        row(busy!.e, { status: "received", lockedUntil: leasedUntil }),
      ]);

    // The fresh event twice (two webhook deliveries): applied once.
    const { acked, retried } = await consumeBatch([done!.e, busy!.e, fresh!.e, fresh!.e]);

    expect(retried).toEqual([busy!.e.id]);
    expect(acked.sort()).toEqual([done!.e.id, fresh!.e.id, fresh!.e.id].sort());
    // The applied one untouched (no second license, no new attempt), the leased one still leased.
    expect(await eventRow(done!.e.id)).toMatchObject({ status: "processed", attempts: 1 });
    expect(await eventRow(busy!.e.id)).toMatchObject({ status: "received", attempts: 1, lockedUntil: leasedUntil });
    expect(await eventRow(fresh!.e.id)).toMatchObject({ status: "processed", attempts: 1, lockedUntil: null });
    expect(await licenseOfSession(fresh!.p.sessionId)).toMatchObject({ status: "active" });
    expect(await licensesOfSession(done!.p.sessionId)).toEqual([]);
    expect(await licensesOfSession(busy!.p.sessionId)).toEqual([]);
  });
});
