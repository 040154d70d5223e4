import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newPurchase } from "../support/fakes/stripe-events";
import { consume, stripeEventMessage } from "../support/queue";
import { eventRow, subscriptionCheckout, useStripeScenario } from "../support/stripe-scenario";
import { TEST_INTERNAL_KEYS } from "../bindings";
import { issueTestLicense, randomEmail, randomMachineId } from "../support/factories";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";
import { activationsOf } from "../support/licenses";

// A lone UTF-16 surrogate (JSON "\ud83d" with no pair) is valid JSON but not valid text: Neon's
// proxy would refuse the whole query. Every request string is checked at the one validation gate.
const LONE = "\ud83d";
const internal = { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}` };

describe("ill-formed strings are refused at the edge (422 validation_failed)", () => {
  it("in any field of the license endpoints, naming the field; nothing is written", async () => {
    const { id, key } = await issueTestLicense({ product: "simpl-liste", tier: "premium" });
    const machine = randomMachineId();
    // Strings all the same to the types: the typed client sends them (JSON.stringify escapes a lone surrogate).
    const activate = (json: Parameters<typeof api.licenses.activate.$post>[0]["json"]) =>
      api.licenses.activate.$post({ header: {}, json });
    const cases: [string, () => Parameters<typeof problemOf>[0], string][] = [
      ["/licenses/activate", () => activate({ key, machine_id: `${machine.slice(0, -1)}${LONE}` }), "machine_id"],
      [
        "/licenses/activate",
        () => activate({ key, machine_id: machine, machine_name: `Laptop ${LONE}` }),
        "machine_name",
      ],
      ["/licenses/activate", () => activate({ key, machine_id: machine, app_version: `\udc00` }), "app_version"],
      ["/licenses/validate", () => api.licenses.validate.$post({ header: {}, json: { key: `${key}${LONE}` } }), "key"],
      [
        "/licenses/deactivate",
        () => api.licenses.deactivate.$post({ header: {}, json: { key, machine_id: `${LONE}${machine}` } }),
        "machine_id",
      ],
    ];
    for (const [path, send, field] of cases) {
      const res = await problemOf(send());
      expect(expectProblem(res, 422, "validation_failed").ok, `${path} ${field}`).toBe(true);
      expect(res.json.errors).toEqual([{ path: field, message: "Contains an unpaired UTF-16 surrogate." }]);
    }
    expect(await activationsOf(id)).toEqual([]);
    // A proper pair (an emoji) is fine.
    await expectStatus(activate({ key, machine_id: machine, machine_name: "Laptop 😀" }), 200);
    expect((await activationsOf(id)).map((a) => a.machineName)).toEqual(["Laptop 😀"]);
  });

  it("in the internal API, including object keys", async () => {
    const email = randomEmail();
    // A tier outside the enum, then a body of raw bytes: what the typed client will not build.
    const body = await call("POST", "/licenses/generate", {
      body: { email, product: "simpl-liste", tier: `premium${LONE}` },
      headers: internal,
    });
    expect(expectProblem(body, 422, "validation_failed").ok).toBe(true);
    expect(body.json?.errors).toEqual([{ path: "tier", message: "Contains an unpaired UTF-16 surrogate." }]);
    const weirdKey = await call("POST", "/licenses/generate", {
      rawBody: `{"email":"${email}","\\ud800x":1}`,
      headers: { ...internal, "content-type": "application/json" },
    });
    expect(expectProblem(weirdKey, 422, "validation_failed").ok).toBe(true);
  });
});

describe("stored error text is cut on code points", () => {
  it("an error message with an emoji across the 500th unit is recorded on the event, cut before the emoji", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase();
    const e = subscriptionCheckout(p, world);
    // errorMessage() prefixes "Error: " (7 units): the emoji's high surrogate lands on unit 500.
    const hiccup = `${"x".repeat(492)}😀 and more`;
    const failingQueue = { send: () => Promise.reject(new Error(hiccup)) } as unknown as Queue;
    const message = stripeEventMessage(e);
    const result = await consume("maximus-events", [message], { ...env, EVENTS_QUEUE: failingQueue });
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([message.id]);
    // Released for the retry with its reason: before, the cut emoji made Neon refuse that update.
    expect(await eventRow(e.id)).toMatchObject({
      status: "received",
      lockedUntil: null,
      lastError: `Error: ${"x".repeat(492)}`,
    });
  });
});
