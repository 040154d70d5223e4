import { describe, expect, it } from "vitest";
import { deliver, event, invoice, nowSec, stripeId } from "../support/fakes/stripe-events";
import { api, expectStatus, problemOf } from "../support/api";
import { expectProblem } from "../support/http";
import {
  licenseById,
  oneTimePurchase,
  paymentOf,
  subscriptionPurchase,
  useStripeScenario,
  applyEvent,
} from "../support/stripe-scenario";
import { waitFor } from "../support/wait";

/** Validate's verdict on a key (always 200 for a well-formed request). */
const validate = async (key: string) =>
  (await expectStatus(api.licenses.validate.$post({ header: {}, json: { key } }), 200)).json;
/** An activation of the key on a machine never seen before. */
const activateNewMachine = (key: string) =>
  api.licenses.activate.$post({ header: {}, json: { key, machine_id: `m-${crypto.randomUUID()}` } });

function dispute(paymentIntentId: string, status: string) {
  return {
    // One dispute per payment here: Stripe closes the dispute it opened, under the same id.
    id: `dp_of_${paymentIntentId}`,
    object: "dispute",
    amount: 1000,
    charge: stripeId("ch"),
    currency: "eur",
    payment_intent: paymentIntentId,
    reason: "fraudulent",
    status,
    livemode: false,
    metadata: {},
  };
}

const apply = (type: string, object: unknown, over: { created?: number } = {}) => applyEvent(event(type, object, over));

describe("disputes (chargebacks)", () => {
  it("dispute opened suspends the license: validate says suspended, activate is 403 license_suspended; a won dispute reinstates it", async () => {
    const { p, license, key } = await oneTimePurchase();
    await apply("charge.dispute.created", dispute(p.paymentIntentId, "needs_response"));
    expect(await licenseById(license.id)).toMatchObject({ status: "suspended" });
    expect(await validate(key)).toMatchObject({ valid: false, code: "suspended" });
    expect(expectProblem(await problemOf(activateNewMachine(key)), 403, "license_suspended").ok).toBe(true);

    await apply("charge.dispute.closed", dispute(p.paymentIntentId, "won"));
    expect(await licenseById(license.id)).toMatchObject({ status: "active" });
    await expectStatus(activateNewMachine(key), 200);
  });

  it("a lost dispute revokes the license", async () => {
    const { p, license, key } = await oneTimePurchase();
    await apply("charge.dispute.created", dispute(p.paymentIntentId, "needs_response"));
    await apply("charge.dispute.closed", dispute(p.paymentIntentId, "lost"));
    expect(await licenseById(license.id)).toMatchObject({ status: "revoked", revokeReason: "dispute_lost" });
    expect((await validate(key)).code).toBe("revoked");
  });

  it("a dispute on a payment we never recorded is acknowledged and ignored", async () => {
    useStripeScenario();
    const row = await apply("charge.dispute.created", dispute(stripeId("pi"), "needs_response"));
    expect(row).toMatchObject({ status: "ignored" });
  });

  it("1a: a dispute on a subscription payment (checkout had no payment intent) suspends the license within 5 s", async () => {
    const { p, license, key } = await subscriptionPurchase();
    expect(await paymentOf(p.paymentIntentId)).toBeNull(); // the checkout wrote no payments row
    expect((await deliver(event("charge.dispute.created", dispute(p.paymentIntentId, "needs_response")))).status).toBe(
      200,
    );
    await waitFor(async () => (await validate(key)).code === "suspended", {
      timeoutMs: 5_000,
      what: "validate to say suspended",
    });
    expect(await licenseById(license.id)).toMatchObject({ status: "suspended" });
    expect(await paymentOf(p.paymentIntentId)).toMatchObject({
      licenseId: license.id,
      stripeSubscriptionId: p.subscriptionId,
      disputeStatus: "needs_response",
    });
  });

  it("1a: a paid invoice records its payment and license, so a later dispute needs no Stripe call", async () => {
    const { p, world, license, key } = await subscriptionPurchase();
    expect((await apply("invoice.payment_succeeded", invoice(p))).status).toBe("processed");
    expect(await paymentOf(p.paymentIntentId)).toMatchObject({
      licenseId: license.id,
      stripeSubscriptionId: p.subscriptionId,
    });
    const callsBefore = world.calls.length;
    await apply("charge.dispute.created", dispute(p.paymentIntentId, "needs_response"));
    expect(world.calls.length).toBe(callsBefore);
    expect((await validate(key)).code).toBe("suspended");
  });

  it("1a: warning_closed reinstates; lost on a subscription payment revokes", async () => {
    const first = await subscriptionPurchase();
    await apply("charge.dispute.created", dispute(first.p.paymentIntentId, "warning_needs_response"));
    expect(await licenseById(first.license.id)).toMatchObject({ status: "suspended" });
    await apply("charge.dispute.closed", dispute(first.p.paymentIntentId, "warning_closed"));
    expect(await licenseById(first.license.id)).toMatchObject({ status: "active" });

    const second = await subscriptionPurchase();
    await apply("charge.dispute.created", dispute(second.p.paymentIntentId, "needs_response"));
    await apply("charge.dispute.closed", dispute(second.p.paymentIntentId, "lost"));
    expect(await licenseById(second.license.id)).toMatchObject({ status: "revoked", revokeReason: "dispute_lost" });
  });

  it("1a: a dispute.created older than the recorded close (late delivery or replay) does not suspend again", async () => {
    const { p, license, key } = await oneTimePurchase();
    const opened = nowSec() - 120;
    await apply("charge.dispute.created", dispute(p.paymentIntentId, "needs_response"), { created: opened });
    await apply("charge.dispute.closed", dispute(p.paymentIntentId, "won"), { created: opened + 60 });
    expect(await licenseById(license.id)).toMatchObject({ status: "active" });

    const late = await apply("charge.dispute.created", dispute(p.paymentIntentId, "needs_response"), {
      created: opened,
    });
    expect(late).toMatchObject({ status: "ignored" });
    expect(await licenseById(license.id)).toMatchObject({ status: "active" });
    expect(await paymentOf(p.paymentIntentId)).toMatchObject({ disputeStatus: "won", disputeClosedSec: opened + 60 });
    expect((await validate(key)).code).toBe("valid");
  });
});
