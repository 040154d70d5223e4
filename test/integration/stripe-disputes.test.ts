import { describe, expect, it } from "vitest";
import { checkoutSession, deliver, event, newPurchase, stripeId } from "../support/fakes/stripe-events";
import { call } from "../support/http";
import { licenseById, licenseOfSession, settled, tokensOf, useStripeScenario } from "../support/stripe-scenario";

function dispute(paymentIntentId: string, status: string) {
  return { id: stripeId("dp"), object: "dispute", amount: 1000, charge: stripeId("ch"), currency: "eur", payment_intent: paymentIntentId, reason: "fraudulent", status, livemode: false, metadata: {} };
}

async function oneTimePurchase() {
  const { world } = useStripeScenario();
  const p = newPurchase();
  const e = event("checkout.session.completed", checkoutSession(p, { mode: "payment", subscription: null, invoice: null, payment_intent: p.paymentIntentId }));
  await deliver(e);
  await settled(e.id);
  const license = await licenseOfSession(p.sessionId);
  const [token] = await tokensOf(license.id);
  return { p, world, license, key: token!.key };
}

async function apply(type: string, object: unknown) {
  const e = event(type, object);
  expect((await deliver(e)).status).toBe(200);
  return settled(e.id);
}

describe("disputes (chargebacks)", () => {
  it("dispute opened suspends the license: validate says suspended, activate is 403 license_suspended; a won dispute reinstates it", async () => {
    const { p, license, key } = await oneTimePurchase();
    await apply("charge.dispute.created", dispute(p.paymentIntentId, "needs_response"));
    expect(await licenseById(license.id)).toMatchObject({ status: "suspended" });
    expect((await call("POST", "/licenses/validate", { body: { key } })).json).toMatchObject({ valid: false, code: "suspended" });
    const activate = await call("POST", "/licenses/activate", { body: { key, machine_id: `m-${crypto.randomUUID()}` } });
    expect(activate.status).toBe(403);
    expect(activate.json.code).toBe("license_suspended");

    await apply("charge.dispute.closed", dispute(p.paymentIntentId, "won"));
    expect(await licenseById(license.id)).toMatchObject({ status: "active" });
    expect((await call("POST", "/licenses/activate", { body: { key, machine_id: `m-${crypto.randomUUID()}` } })).status).toBe(200);
  });

  it("a lost dispute revokes the license", async () => {
    const { p, license, key } = await oneTimePurchase();
    await apply("charge.dispute.created", dispute(p.paymentIntentId, "needs_response"));
    await apply("charge.dispute.closed", dispute(p.paymentIntentId, "lost"));
    expect(await licenseById(license.id)).toMatchObject({ status: "revoked", revokeReason: "dispute_lost" });
    expect((await call("POST", "/licenses/validate", { body: { key } })).json.code).toBe("revoked");
  });

  it("a dispute on a payment we never recorded is acknowledged and ignored", async () => {
    useStripeScenario();
    const row = await apply("charge.dispute.created", dispute(stripeId("pi"), "needs_response"));
    expect(row).toMatchObject({ status: "ignored" });
  });
});
