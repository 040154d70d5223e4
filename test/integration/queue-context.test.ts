import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { consume } from "../support/queue";
import { eventRow } from "../support/stripe-scenario";

// Context creation (config parsing, clients) can fail on a broken deployment; that must be a
// per-message retry with backoff in both consumers, never a thrown batch redelivered at once.
async function consumeOne(queue: string, body: unknown, bindings: Cloudflare.Env) {
  const message = { id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body };
  return { message, result: await consume(queue, [message], bindings) };
}

describe("queue consumers with a broken configuration", () => {
  const broken = { ...env, LICENSE_SIGNING_KEYS: "" } as Cloudflare.Env;

  it("the dead-letter consumer retries that message alone and records nothing yet", async () => {
    const eventId = `evt_${crypto.randomUUID().replaceAll("-", "")}`;
    const { message, result } = await consumeOne(
      "maximus-events-dlq",
      { kind: "stripe-event", eventId, type: "checkout.session.completed", deadLetterReason: "x" },
      broken,
    );
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([message.id]);
    expect(await eventRow(eventId)).toBeNull();
  });

  it("the events consumer retries that message alone (transient: an operator fixes it)", async () => {
    const eventId = `evt_${crypto.randomUUID().replaceAll("-", "")}`;
    const { message, result } = await consumeOne(
      "maximus-events",
      { kind: "stripe-event", eventId, type: "checkout.session.completed", created: 1, livemode: false },
      broken,
    );
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([message.id]);
  });
});
