// Issue 12 item 5: who owns a checkout, a second Stripe customer of one user, and product names.
import { beforeEach, describe, expect, it } from "vitest";
import {
  checkoutSession,
  deliver,
  event,
  newPurchase,
  subscription,
  type Purchase,
} from "../support/fakes/stripe-events";
import { bearer, signAccessToken, useLogto } from "../support/fakes/logto";
import { useStripe } from "../support/fakes/stripe-api";
import { call } from "../support/http";
import {
  customerByStripeId,
  licenseOfSession,
  licensesOfSession,
  settled,
  useStripeScenario,
} from "../support/stripe-scenario";

const statusOf = async (logtoUserId: string, product = "simpl-resultat") =>
  call("GET", `/subscriptions/status?product=${product}`, {
    headers: bearer(await signAccessToken({ sub: logtoUserId })),
  });

async function purchase(p: Purchase, sessionOver: Record<string, unknown>) {
  const { world } = useStripeScenario();
  world.subscriptions.set(p.subscriptionId, subscription(p));
  const e = event("checkout.session.completed", checkoutSession(p, sessionOver));
  expect((await deliver(e)).status).toBe(200);
  return settled(e.id);
}

beforeEach(async () => {
  await useLogto();
});

describe("the owner of a checkout", () => {
  it("5: is metadata.logto_user_id: a client_reference_id alone (typed into a Payment Link) links the purchase to no one", async () => {
    const p = newPurchase();
    const victim = `logto_victim_${crypto.randomUUID()}`;
    expect(
      await purchase(p, { client_reference_id: victim, metadata: { product: p.product, tier: p.tier } }),
    ).toMatchObject({ status: "processed" });
    await licenseOfSession(p.sessionId); // the buyer still gets the license by email
    expect(await customerByStripeId(p.customerId)).toMatchObject({ logtoUserId: null, email: p.email });
    expect((await statusOf(victim)).json.code).toBe("no_subscription");
  });

  it("5: a client_reference_id that disagrees with metadata.logto_user_id links neither user; agreeing ones link", async () => {
    const p = newPurchase();
    const other = `logto_other_${crypto.randomUUID()}`;
    await purchase(p, { client_reference_id: other });
    expect(await customerByStripeId(p.customerId)).toMatchObject({ logtoUserId: null });
    expect((await statusOf(other)).json.code).toBe("no_subscription");
    expect((await statusOf(p.logtoUserId)).json.code).toBe("no_subscription");

    const agreed = newPurchase();
    await purchase(agreed, {});
    expect(await customerByStripeId(agreed.customerId)).toMatchObject({ logtoUserId: agreed.logtoUserId });
    expect((await statusOf(agreed.logtoUserId)).json).toMatchObject({ status: "active", product: "simpl-resultat" });
  });
});

describe("a second Stripe customer for the same Logto user", () => {
  it("5: is linked too: /subscriptions/status sees its subscription and the double-checkout guard refuses a second one", async () => {
    const first = newPurchase();
    await purchase(first, {});
    const second = newPurchase({ logtoUserId: first.logtoUserId, product: "simpl-liste", tier: "premium" });
    expect(second.customerId).not.toBe(first.customerId);
    await purchase(second, {});
    expect(await customerByStripeId(first.customerId)).toMatchObject({ logtoUserId: first.logtoUserId });
    expect(await customerByStripeId(second.customerId)).toMatchObject({ logtoUserId: first.logtoUserId });

    expect((await statusOf(first.logtoUserId, "simpl-liste")).json).toMatchObject({
      status: "active",
      product: "simpl-liste",
      tier: "premium",
    });
    expect((await statusOf(first.logtoUserId, "simpl-resultat")).json).toMatchObject({
      status: "active",
      product: "simpl-resultat",
    });

    const stripe = useStripe({ lookupKeys: ["simpl-liste_premium_month"] });
    const again = await call("POST", "/checkout/sessions", {
      body: { product: "simpl-liste", tier: "premium", interval: "month" },
      headers: bearer(await signAccessToken({ sub: first.logtoUserId })),
    });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe("conflict");
    expect(stripe.checkoutSessions.size).toBe(0);
  });
});

describe("product names", () => {
  it('5: "constructor" (an inherited property name) is not a product: the checkout fails as unmapped_product and issues nothing', async () => {
    const p = newPurchase();
    const row = await purchase(p, {
      mode: "payment",
      subscription: null,
      invoice: null,
      payment_intent: p.paymentIntentId,
      metadata: { product: "constructor", tier: "base" },
    });
    expect(row).toMatchObject({ status: "failed", errorCode: "unmapped_product" });
    expect(await licensesOfSession(p.sessionId)).toHaveLength(0);
  });
});
