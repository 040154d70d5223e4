import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox } from "../../src/db/schema";
import { consume, stripeEventMessage } from "../support/queue";
import { testDb } from "../support/db";
import { deliveredTo } from "../support/fakes/resend";
import { checkoutSession, deliver, event, newPurchase, subscription } from "../support/fakes/stripe-events";
import {
  eventRow,
  licenseOfSession,
  licensesOfSession,
  outboxOf,
  settled,
  tokensOf,
  useStripeScenario,
  subscriptionCheckout,
} from "../support/stripe-scenario";
import { sleep, waitFor } from "../support/wait";

const DEAD_DATABASE = "postgresql://postgres:postgres@127.0.0.1:1/maximus";

describe("webhook consumer: at-least-once delivery, faults and poison", () => {
  it("W6: the same event delivered twice, concurrently and again later → 200 each; one license, one email", async () => {
    const { world, resend } = useStripeScenario();
    const p = newPurchase();
    const e = subscriptionCheckout(p, world);
    const [a, b] = await Promise.all([deliver(e), deliver(e)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const license = await licenseOfSession(p.sessionId);
    await waitFor(async () => deliveredTo(resend, p.email)[0], { what: "email" });
    expect((await deliver(e)).status).toBe(200);
    await sleep(1500); // room for a wrongly repeated effect (a busy retry waits 1 s) to show up
    expect(await licensesOfSession(p.sessionId)).toHaveLength(1);
    expect(await tokensOf(license.id)).toHaveLength(1);
    expect(deliveredTo(resend, p.email)).toHaveLength(1);
    expect(await outboxOf(license.id)).toHaveLength(1);
    expect(await eventRow(e.id)).toMatchObject({ status: "processed" });
  });

  it("W9: with the database down the consumer asks for a retry (nothing acked, nothing lost); once it is back the event applies exactly once", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase();
    const e = subscriptionCheckout(p, world);
    const message = stripeEventMessage(e);

    const down = await consume("maximus-events", [message], { ...env, DATABASE_URL: DEAD_DATABASE });
    expect(down.explicitAcks).toEqual([]);
    expect(down.retryMessages.map((m) => m.msgId)).toEqual([message.id]);
    expect(await eventRow(e.id)).toBeNull();

    const back = await consume("maximus-events", [{ ...message, attempts: 2 }]);
    expect(back.explicitAcks).toEqual([message.id]);
    expect(await licensesOfSession(p.sessionId)).toHaveLength(1);
    expect(await eventRow(e.id)).toMatchObject({ status: "processed" });

    const again = await consume("maximus-events", [{ ...message, attempts: 3 }]);
    expect(again.explicitAcks).toEqual([message.id]);
    expect(await licensesOfSession(p.sessionId)).toHaveLength(1);
  });

  it("Q2: a consumer that fails between two effects (license written, email not queued) completes on retry without duplicates", async () => {
    const { world, resend } = useStripeScenario();
    const p = newPurchase();
    const e = subscriptionCheckout(p, world);
    const message = stripeEventMessage(e);
    const failingQueue = { send: () => Promise.reject(new Error("queue hiccup")) } as unknown as Queue;

    const crashed = await consume("maximus-events", [message], { ...env, EVENTS_QUEUE: failingQueue });
    expect(crashed.retryMessages.map((m) => m.msgId)).toEqual([message.id]);
    const half = await licensesOfSession(p.sessionId);
    expect(half).toHaveLength(1); // the first effect happened
    expect(await eventRow(e.id)).toMatchObject({ status: "received", lockedUntil: null });

    const retried = await consume("maximus-events", [{ ...message, attempts: 2 }]);
    expect(retried.explicitAcks).toEqual([message.id]);
    expect(await licensesOfSession(p.sessionId)).toEqual(half);
    expect(await tokensOf(half[0]!.id)).toHaveLength(1);
    await waitFor(async () => deliveredTo(resend, p.email)[0], { what: "email" });
    expect(deliveredTo(resend, p.email)).toHaveLength(1);
    expect(await eventRow(e.id)).toMatchObject({ status: "processed", attempts: 2 });
  });

  it("the key is emailed by the invocation that applied the checkout, with a delayed job queued first as its safety net", async () => {
    const { world, resend } = useStripeScenario();
    const p = newPurchase();
    const e = subscriptionCheckout(p, world);
    const queued: { body: unknown; delaySeconds?: number }[] = [];
    const recordingQueue = {
      send: async (body: unknown, options?: { delaySeconds?: number }) =>
        void queued.push({ body, delaySeconds: options?.delaySeconds }),
    } as unknown as Queue;

    const done = await consume("maximus-events", [stripeEventMessage(e)], { ...env, EVENTS_QUEUE: recordingQueue });
    expect(done.explicitAcks).toHaveLength(1);
    // Sent before the invocation ended: no queue hop, no second invocation.
    expect(deliveredTo(resend, p.email)).toHaveLength(1);
    const license = await licenseOfSession(p.sessionId);
    const [outbox] = await outboxOf(license.id);
    expect(outbox).toMatchObject({ attempts: 1 });
    expect(outbox!.sentAt).not.toBeNull();
    expect(queued).toEqual([{ body: { kind: "send-email", outboxId: outbox!.id }, delaySeconds: 60 }]);

    // The safety-net job, when it comes, finds the email sent and sends nothing.
    const later = await consume("maximus-events", [
      { ...stripeEventMessage(e), body: { kind: "send-email", outboxId: outbox!.id } },
    ]);
    expect(later.explicitAcks).toHaveLength(1);
    expect(deliveredTo(resend, p.email)).toHaveLength(1);
  });

  it("Q3: one poison message in a batch: the others are acked; it is retried, then dead-lettered and recorded as failed", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase();
    world.subscriptions.set(p.subscriptionId, subscription(p));
    const good = stripeEventMessage(event("checkout.session.completed", checkoutSession(p)));
    const poisonEvent = event("checkout.session.completed", null);
    const poison = stripeEventMessage(poisonEvent);
    const malformed = {
      id: `msg-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body: { kind: "nonsense" },
    };

    const first = await consume("maximus-events", [poison, good, malformed]);
    expect(first.explicitAcks.sort()).toEqual([good.id, malformed.id].sort());
    expect(first.retryMessages.map((m) => m.msgId)).toEqual([poison.id]);
    expect(await licensesOfSession(p.sessionId)).toHaveLength(1);

    // The real queue retries it with backoff and, on its third try, the consumer dead-letters it.
    expect((await deliver(poisonEvent)).status).toBe(200);
    const recorded = await waitFor(
      async () => {
        const row = await eventRow(poisonEvent.id);
        return row?.status === "failed" ? row : null;
      },
      { timeoutMs: 15_000, what: "the poison event to be dead-lettered" },
    );
    expect(recorded).toMatchObject({ status: "failed", errorCode: "dead_lettered" });
    expect(recorded!.lastError).toMatch(/^dead-lettered: TypeError/);
    expect(recorded!.attempts).toBeGreaterThanOrEqual(1);
  });

  it("Q4: Resend down: the license exists meanwhile, the email is retried with the same Idempotency-Key and sent once", async () => {
    const { world, resend } = useStripeScenario();
    const p = newPurchase();
    resend.failNext = { count: 2, status: 500, to: p.email };
    world.subscriptions.set(p.subscriptionId, subscription(p));
    await deliver(event("checkout.session.completed", checkoutSession(p)));
    const license = await licenseOfSession(p.sessionId);
    expect(license.status).toBe("active"); // usable before the email goes out

    const [sent] = await waitFor(
      async () => {
        const rows = await outboxOf(license.id);
        return rows[0]?.sentAt ? rows : null;
      },
      { timeoutMs: 15_000, what: "email_sent_at" },
    );
    expect(sent!.attempts).toBe(3);
    expect(resend.attempts).toBe(3);
    expect(deliveredTo(resend, p.email)).toHaveLength(1);
    expect(deliveredTo(resend, p.email)[0]!.idempotencyKey).toBe(`license-issued/${license.id}`);
  });

  it("Q4: Resend hanging past the timeout is given up on and retried; the email is sent once it answers", async () => {
    const { world, resend } = useStripeScenario();
    const p = newPurchase();
    resend.failNext = { count: 1, status: "hang", to: p.email };
    world.subscriptions.set(p.subscriptionId, subscription(p));
    await deliver(event("checkout.session.completed", checkoutSession(p)));
    const license = await licenseOfSession(p.sessionId);
    const row = await waitFor(
      async () => {
        const [r] = await testDb().select().from(emailOutbox).where(eq(emailOutbox.licenseId, license.id));
        return r?.sentAt ? r : null;
      },
      { timeoutMs: 15_000, what: "email_sent_at" },
    );
    expect(row.attempts).toBe(2);
    expect(deliveredTo(resend, p.email)).toHaveLength(1);
  });
});

describe("Stripe API faults", () => {
  it("the Stripe API failing: the consumer retries with backoff and the purchase completes once Stripe answers", async () => {
    const { world, resend } = useStripeScenario();
    const p = newPurchase();
    world.subscriptions.set(p.subscriptionId, subscription(p));
    world.failNext = { count: 2, status: 500 };
    const e = event("checkout.session.completed", checkoutSession(p));
    expect((await deliver(e)).status).toBe(200);
    const license = await licenseOfSession(p.sessionId, 15_000);
    const row = await settled(e.id, 15_000);
    expect(row).toMatchObject({ status: "processed" });
    expect(row.attempts).toBeGreaterThanOrEqual(2); // the failing attempts were retried by the queue, not dropped
    expect(world.calls.filter((c) => c.path === `/v1/subscriptions/${p.subscriptionId}`).length).toBe(3);
    await waitFor(async () => deliveredTo(resend, p.email)[0], { what: "email" });
    expect(await licensesOfSession(p.sessionId)).toHaveLength(1);
    void license;
  });
});
