import { describe, expect, it } from "vitest";
import { TEST_LICENSE_ISSUER } from "../bindings";
import { deliveredTo } from "../support/fakes/resend";
import { checkoutSession, deliver, event, invoice, newPurchase, subscription } from "../support/fakes/stripe-events";
import {
  customerByStripeId,
  licenseOfSession,
  licensesOfSession,
  outboxOf,
  settled,
  subscriptionByStripeId,
  tokensOf,
  useStripeScenario,
} from "../support/stripe-scenario";
import { waitFor } from "../support/wait";

const decodeClaims = (key: string) => JSON.parse(atob(key.split(".")[1]!.replaceAll("-", "+").replaceAll("_", "/")));
const GRACE_SEC = 7 * 86_400;

describe("purchase: Stripe Checkout → license by email", () => {
  it("a paid checkout issues exactly one SR-BASE license, emails it once, and records the customer and subscription", async () => {
    const { world, resend } = useStripeScenario();
    const p = newPurchase();
    world.subscriptions.set(p.subscriptionId, subscription(p));

    const checkout = event("checkout.session.completed", checkoutSession(p));
    const res = await deliver(checkout);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ received: true });

    const license = await licenseOfSession(p.sessionId);
    const mail = await waitFor(async () => deliveredTo(resend, p.email)[0], { what: "the license email" });
    const [token] = await tokensOf(license.id);
    expect(token!.key).toMatch(/^SR-BASE-eyJ/);
    const claims = decodeClaims(token!.key);
    expect(claims).toMatchObject({ iss: TEST_LICENSE_ISSUER, sub: license.id, aud: "simpl-resultat", tier: "base" });
    expect(claims.exp).toBe(p.periodEnd + GRACE_SEC); // the paid period, plus LICENSE_GRACE_DAYS
    expect(license).toMatchObject({ email: p.email, product: "simpl-resultat", tier: "base", status: "active" });

    expect(mail.text).toContain(token!.key);
    expect(mail.subject).toMatch(/Simpl'Résultat/);
    expect(mail.idempotencyKey).toBe(`license-issued/${license.id}`);
    expect(mail.text.indexOf("Bonjour")).toBeLessThan(mail.text.indexOf("Hello"));

    const customer = await customerByStripeId(p.customerId);
    expect(customer).toMatchObject({ email: p.email, logtoUserId: p.logtoUserId });
    expect(await subscriptionByStripeId(p.subscriptionId)).toMatchObject({
      customerId: customer!.id,
      status: "active",
      product: "simpl-resultat",
      tier: "base",
      currentPeriodEnd: new Date(p.periodEnd * 1000),
    });
    expect(license.customerId).toBe(customer!.id);
    expect(await settled(checkout.id)).toMatchObject({ status: "processed", attempts: 1 });
    await waitFor(async () => (await outboxOf(license.id))[0]?.sentAt, { what: "email_sent_at" });
  });

  it.each([
    ["checkout, subscription.created, invoice", ["checkout", "created", "invoice"]],
    ["invoice, subscription.created, checkout", ["invoice", "created", "checkout"]],
    ["subscription.created, checkout, invoice", ["created", "checkout", "invoice"]],
  ])("the whole purchase in the order %s gives one license, one token for the period, one email", async (_, order) => {
    const { world, resend } = useStripeScenario();
    const p = newPurchase({ tier: "premium", product: "simpl-liste" });
    world.subscriptions.set(p.subscriptionId, subscription(p));
    const events = {
      checkout: event("checkout.session.completed", checkoutSession(p)),
      created: event("customer.subscription.created", subscription(p)),
      invoice: event(
        "invoice.payment_succeeded",
        invoice(p, { start: p.periodStart, end: p.periodEnd }, { billing_reason: "subscription_create" }),
      ),
    };
    for (const name of order) {
      const e = events[name as keyof typeof events];
      expect((await deliver(e)).status).toBe(200);
      await settled(e.id);
    }
    const license = await licenseOfSession(p.sessionId);
    await waitFor(async () => deliveredTo(resend, p.email)[0], { what: "the license email" });
    expect(await licensesOfSession(p.sessionId)).toHaveLength(1);
    const tokens = await tokensOf(license.id);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.key).toMatch(/^SL-PREMIUM-/);
    expect(decodeClaims(tokens[0]!.key).exp).toBe(p.periodEnd + GRACE_SEC);
    expect(deliveredTo(resend, p.email)).toHaveLength(1);
  });
});
