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
import { api, expectStatus, problemOf } from "../support/api";
import { expectProblem } from "../support/http";
import {
  customerByStripeId,
  licenseOfSession,
  licensesOfSession,
  settled,
  useStripeScenario,
} from "../support/stripe-scenario";

type Product = NonNullable<Parameters<typeof api.subscriptions.status.$get>[0]["query"]["product"]>;
const statusFor = async (logtoUserId: string, product: Product = "simpl-resultat") =>
  api.subscriptions.status.$get(
    { query: { product } },
    { headers: bearer(await signAccessToken({ sub: logtoUserId })) },
  );
/** The user's 200 status body; any other answer fails the test. */
const statusOf = async (logtoUserId: string, product?: Product) =>
  (await expectStatus(statusFor(logtoUserId, product), 200)).json;
/** Whether the user's status answer is 404 no_subscription. */
const hasNoSubscription = async (logtoUserId: string) =>
  expectProblem(await problemOf(statusFor(logtoUserId)), 404, "no_subscription").ok;

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
    expect(await hasNoSubscription(victim)).toBe(true);
  });

  it("5: a client_reference_id that disagrees with metadata.logto_user_id links neither user; agreeing ones link", async () => {
    const p = newPurchase();
    const other = `logto_other_${crypto.randomUUID()}`;
    await purchase(p, { client_reference_id: other });
    expect(await customerByStripeId(p.customerId)).toMatchObject({ logtoUserId: null });
    expect(await hasNoSubscription(other)).toBe(true);
    expect(await hasNoSubscription(p.logtoUserId)).toBe(true);

    const agreed = newPurchase();
    await purchase(agreed, {});
    expect(await customerByStripeId(agreed.customerId)).toMatchObject({ logtoUserId: agreed.logtoUserId });
    expect(await statusOf(agreed.logtoUserId)).toMatchObject({ status: "active", product: "simpl-resultat" });
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

    expect(await statusOf(first.logtoUserId, "simpl-liste")).toMatchObject({
      status: "active",
      product: "simpl-liste",
      tier: "premium",
    });
    expect(await statusOf(first.logtoUserId, "simpl-resultat")).toMatchObject({
      status: "active",
      product: "simpl-resultat",
    });

    const stripe = useStripe({ lookupKeys: ["simpl-liste_premium_month"] });
    const again = await problemOf(
      api.checkout.sessions.$post(
        { json: { product: "simpl-liste", tier: "premium", interval: "month" } },
        { headers: bearer(await signAccessToken({ sub: first.logtoUserId })) },
      ),
    );
    expect(expectProblem(again, 409, "conflict").ok).toBe(true);
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
