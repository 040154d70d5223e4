import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import verifySource from "../../src/integrations/stripe/verify-webhook.ts?raw";
import { TEST_WEBHOOK_SECRET, TEST_WEBHOOK_SECRET_OLD } from "../bindings";
import {
  checkoutSession,
  deliver,
  event,
  newPurchase,
  nowSec,
  signPayload,
  subscription,
} from "../support/fakes/stripe-events";
import { call } from "../support/http";
import {
  eventRow,
  licensesOfSession,
  settled,
  useStripeScenario,
  subscriptionCheckout,
} from "../support/stripe-scenario";
import { sleep } from "../support/wait";

/** Stripe sends every custom_text slot; the ones a session does not use are null. */
const NO_CUSTOM_TEXT = { after_submit: null, shipping_address: null, terms_of_service_acceptance: null };

// Raw: exact bytes under a Stripe-Signature header of the test's choosing (missing, forged, two v1s): no typed request.
const post = (payload: string, signature?: string) =>
  call("POST", "/subscriptions/webhook", {
    rawBody: payload,
    headers: signature === undefined ? {} : { "Stripe-Signature": signature },
  });

/** Nothing recorded: the consumer applies an accepted event within ~30 ms, so 400 ms of silence means none was enqueued. */
async function expectNothingRecorded(eventId: string) {
  await sleep(400);
  expect(await eventRow(eventId)).toBeNull();
}

function expectInvalidSignature(res: Awaited<ReturnType<typeof call>>) {
  expect(res.status).toBe(400);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({ status: 400, code: "invalid_signature" });
}

describe("POST /subscriptions/webhook: signature verification", () => {
  afterEach(() => vi.restoreAllMocks());

  it("W1: no Stripe-Signature, garbage, or only a v0 signature → 400 invalid_signature, nothing recorded", async () => {
    useStripeScenario();
    const e = event("checkout.session.completed", checkoutSession(newPurchase()));
    const payload = JSON.stringify(e);
    const t = nowSec();
    expectInvalidSignature(await post(payload));
    expectInvalidSignature(await post(payload, "garbage"));
    expectInvalidSignature(await post(payload, `t=${t},v0=${"a".repeat(64)}`));
    expectInvalidSignature(await post(payload, "x".repeat(5000)));
    await expectNothingRecorded(e.id);
  });

  it("W2: signed with another secret, or the body altered after signing → 400", async () => {
    useStripeScenario();
    const e = event("checkout.session.completed", checkoutSession(newPurchase()));
    const payload = JSON.stringify(e);
    expectInvalidSignature(await deliver(e, { secret: "whsec_someone_else" }));
    const header = await signPayload(payload);
    expectInvalidSignature(await post(payload.replace('"paid"', '"unpaid"'), header));
    await expectNothingRecorded(e.id);
  });

  it("W3: a genuine event with non-ASCII text and odd whitespace verifies (the raw bytes are what is checked)", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase({ email: `élodie-${crypto.randomUUID().slice(0, 6)}@exemple.test` });
    world.subscriptions.set(p.subscriptionId, subscription(p));
    const e = event(
      "checkout.session.completed",
      checkoutSession(p, {
        custom_text: { ...NO_CUSTOM_TEXT, submit: { message: "Merci ! 🎉 Ça marche\u00a0—  «  ok  »" } },
      }),
    );
    const payload = JSON.stringify(e, null, 3).replace(/\n/g, "\r\n  ");
    const res = await deliver(e, { payload });
    expect(res.status).toBe(200);
    expect(await settled(e.id)).toMatchObject({ status: "processed" });
    expect((await licensesOfSession(p.sessionId))[0]!.email).toBe(p.email);
  });

  it("5: a 90k-character non-ASCII event (~180 KB of UTF-8) is accepted: too big to inline, so re-read from Stripe by id", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase();
    world.subscriptions.set(p.subscriptionId, subscription(p));
    const e = event(
      "checkout.session.completed",
      checkoutSession(p, { custom_text: { ...NO_CUSTOM_TEXT, submit: { message: "é".repeat(90_000) } } }),
    );
    world.events.set(e.id, e);
    const payload = JSON.stringify(e);
    expect(payload.length).toBeLessThan(100 * 1024); // under the inline limit in UTF-16 units...
    expect(new TextEncoder().encode(payload).byteLength).toBeGreaterThan(128 * 1024); // ...over the queue's 128 KB in bytes
    const res = await deliver(e, { payload });
    expect(res.status).toBe(200);
    expect(await settled(e.id)).toMatchObject({ status: "processed" });
    expect(world.calls.some((c) => c.method === "GET" && c.path === `/v1/events/${e.id}`)).toBe(true);
    expect(await licensesOfSession(p.sessionId)).toHaveLength(1);
  });

  it("W4: two v1 signatures while a secret rolls (one valid), and a valid secret listed second, both verify", async () => {
    useStripeScenario();
    const e = event("customer.subscription.updated", subscription(newPurchase()));
    const payload = JSON.stringify(e);
    const t = nowSec();
    const good = (await signPayload(payload, { secret: TEST_WEBHOOK_SECRET, timestamp: t })).split(",v1=")[1]!;
    const bogus = "0".repeat(64);
    expect((await post(payload, `t=${t},v1=${bogus},v1=${good}`)).status).toBe(200);
    // The configured list is "old,new": an event signed with either verifies.
    const e2 = event("customer.subscription.updated", subscription(newPurchase()));
    expect((await deliver(e2, { secret: TEST_WEBHOOK_SECRET_OLD })).status).toBe(200);
  });

  it("W5: a captured request replayed with a timestamp older than 300 s → 400", async () => {
    useStripeScenario();
    const e = event("checkout.session.completed", checkoutSession(newPurchase()));
    expectInvalidSignature(await deliver(e, { timestamp: nowSec() - 301 }));
    await expectNothingRecorded(e.id);
  });

  it("W8: an unknown event type, or livemode different from ours → 200, ignored, nothing recorded", async () => {
    useStripeScenario();
    const unknown = event("customer.tax_id.created", { id: "txi_1", object: "tax_id" });
    const res = await deliver(unknown);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ received: true, ignored: "unhandled_type" });
    const live = event("checkout.session.completed", checkoutSession(newPurchase()), { livemode: true });
    const res2 = await deliver(live);
    expect(res2.status).toBe(200);
    expect(res2.json).toMatchObject({ received: true, ignored: "livemode_mismatch" });
    await expectNothingRecorded(unknown.id);
    expect(await eventRow(live.id)).toBeNull();
  });

  it("W9: when the event cannot be made durable (queue down) the answer is 503, so Stripe retries", async () => {
    const app = createApp();
    const brokenQueue = {
      send: () => Promise.reject(new Error("queue unavailable")),
      sendBatch: () => Promise.reject(new Error("queue unavailable")),
    };
    const e = event("checkout.session.completed", checkoutSession(newPurchase()));
    const payload = JSON.stringify(e);
    const req = new Request("http://maximus.test/subscriptions/webhook", {
      method: "POST",
      body: payload,
      headers: { "Stripe-Signature": await signPayload(payload) },
    });
    const res = await app.fetch(
      req,
      { ...env, EVENTS_QUEUE: brokenQueue as unknown as Queue },
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: "unavailable" });
  });

  it("W10: a rejected signature is logged by message only: no header, no payload, no secret", async () => {
    const lines: string[] = [];
    for (const level of ["log", "warn", "error", "info"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const e = event("checkout.session.completed", checkoutSession(newPurchase({ email: "secret-buyer@example.test" })));
    const payload = JSON.stringify(e);
    const header = await signPayload(payload, { secret: "whsec_someone_else" });
    expectInvalidSignature(await post(payload, header));
    const log = lines.join("\n");
    expect(log).toContain("webhook rejected");
    expect(log).not.toContain(header.split("v1=")[1]!);
    expect(log).not.toContain("secret-buyer@example.test");
    expect(log).not.toContain(TEST_WEBHOOK_SECRET);
    expect(log).not.toContain("whsec_");
  });

  it("W11: verification uses constructEventAsync with the SubtleCrypto provider, never the sync constructEvent", () => {
    expect(verifySource).toContain("constructEventAsync(");
    expect(verifySource).toContain("createSubtleCryptoProvider()");
    expect(verifySource).not.toMatch(/\.constructEvent\(/);
  });
});

describe("structured logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("one JSON line per webhook request (request id, event id, status, duration) and one per consumed event (outcome, duration)", async () => {
    const lines: Record<string, unknown>[] = [];
    for (const level of ["log", "warn", "error"] as const) {
      vi.spyOn(console, level).mockImplementation((line: unknown) => {
        try {
          lines.push(JSON.parse(String(line)));
        } catch {
          lines.push({ unstructured: String(line) });
        }
      });
    }
    const { world } = useStripeScenario();
    const p = newPurchase();
    const e = subscriptionCheckout(p, world);
    const res = await deliver(e);
    await settled(e.id);
    await sleep(50);
    const requestLines = lines.filter((l) => l.msg === "request" && l.eventId === e.id);
    expect(requestLines).toEqual([
      expect.objectContaining({
        level: "info",
        requestId: res.headers.get("x-request-id"),
        method: "POST",
        path: "/subscriptions/webhook",
        status: 200,
        eventType: "checkout.session.completed",
        durationMs: expect.any(Number),
      }),
    ]);
    expect(lines.filter((l) => l.eventId === e.id && l.msg === "queue: message applied")).toEqual([
      expect.objectContaining({ level: "info", outcome: "processed", durationMs: expect.any(Number), attempts: 1 }),
    ]);
    expect(lines.filter((l) => "unstructured" in l)).toEqual([]);
  });
});
