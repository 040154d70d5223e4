// GET /subscriptions/status: the token's user → their customer → that product's subscription.
import { beforeEach, describe, expect, it } from "vitest";
import { addDays } from "../../src/lib/clock";
import { bearer, signAccessToken, useLogto } from "../support/fakes/logto";
import {
  insertCustomer,
  insertLicense,
  insertLicenseToken,
  insertSubscription,
  randomSuffix,
} from "../support/factories";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";

const DAY = 86_400_000;
const isoSec = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
// Whole seconds, so the ISO string the API returns compares exactly.
const daysFromNow = (days: number) => new Date(Math.floor((Date.now() + days * DAY) / 1000) * 1000);

type Product = NonNullable<Parameters<typeof api.subscriptions.status.$get>[0]["query"]["product"]>;
const asUser = async (logtoUserId: string) => bearer(await signAccessToken({ sub: logtoUserId }));

/** The answer for the user, for `product` or (none given) the default one. */
async function statusFor(logtoUserId: string, product?: Product) {
  return api.subscriptions.status.$get({ query: { product } }, { headers: await asUser(logtoUserId) });
}
/** The 200 body for the user; any other answer fails the test. */
const statusOf = async (logtoUserId: string, product?: Product) =>
  (await expectStatus(statusFor(logtoUserId, product), 200)).json;
/** Whether the user's answer is 404 no_subscription. */
const hasNoSubscription = async (logtoUserId: string) =>
  expectProblem(await problemOf(statusFor(logtoUserId)), 404, "no_subscription").ok;

/** A customer with one subscription to `product`, and optionally its license with a token. */
type SubscriptionInsert = Parameters<typeof insertSubscription>[0];
type LicenseInsert = NonNullable<Parameters<typeof insertLicense>[0]>;

async function arrange(
  sub: {
    status: SubscriptionInsert["status"];
    periodEndDays?: number | null;
    product?: SubscriptionInsert["product"];
    tier?: SubscriptionInsert["tier"];
    cancelAtPeriodEnd?: boolean;
  },
  license?: { status?: LicenseInsert["status"] },
) {
  const customer = await insertCustomer();
  const periodEnd = sub.periodEndDays === null ? null : daysFromNow(sub.periodEndDays ?? 20);
  const subscription = await insertSubscription({
    customerId: customer.id,
    status: sub.status,
    currentPeriodEnd: periodEnd,
    product: sub.product ?? "simpl-resultat",
    tier: sub.tier ?? "base",
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd ?? false,
  });
  let key: string | null = null;
  if (license) {
    const lic = await insertLicense({
      customerId: customer.id,
      subscriptionId: subscription.id,
      product: subscription.product,
      tier: subscription.tier,
      status: license.status ?? "active",
    });
    key = (await insertLicenseToken({ licenseId: lic.id })).key;
  }
  return { customer, subscription, periodEnd, key, sub: customer.logtoUserId! };
}

beforeEach(async () => {
  await useLogto();
});

/** Inserts the license's tokens, their dates in days from now (tier base unless told). */
async function insertTokens(
  licenseId: string,
  tokens: { key: string; tier?: "base" | "premium"; issuedDays: number; expiresDays: number }[],
) {
  for (const t of tokens)
    await insertLicenseToken({
      licenseId,
      key: t.key,
      tier: t.tier ?? "base",
      issuedAt: addDays(new Date(), t.issuedDays),
      expiresAt: addDays(new Date(), t.expiresDays),
    });
}

describe("GET /subscriptions/status", () => {
  it("an active subscription: exactly the documented fields, with the license key", async () => {
    const a = await arrange({ status: "active", tier: "premium", cancelAtPeriodEnd: true }, {});
    const res = await expectStatus(statusFor(a.sub), 200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json).toEqual({
      status: "active",
      product: "simpl-resultat",
      tier: "premium",
      current_period_end: isoSec(a.periodEnd!),
      cancel_at_period_end: true,
      license_key: a.key,
    });
    expect(res.json.current_period_end).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it.each([
    ["active", "active"],
    ["trialing", "active"],
    ["past_due", "past_due"],
    ["unpaid", "past_due"],
    ["incomplete", "past_due"],
    ["canceled", "canceled"],
    ["incomplete_expired", "expired"],
    ["paused", "expired"],
  ])("Stripe %s within the period → %s", async (stripeStatus, expected) => {
    const a = await arrange({ status: stripeStatus }, {});
    expect((await statusOf(a.sub)).status).toBe(expected);
  });

  it("period end plus LICENSE_GRACE_DAYS (7) over → expired, even if Stripe still says active", async () => {
    const over = await arrange({ status: "active", periodEndDays: -8 }, {});
    expect((await statusOf(over.sub)).status).toBe("expired");
    const inGrace = await arrange({ status: "past_due", periodEndDays: -6 }, {});
    expect((await statusOf(inGrace.sub)).status).toBe("past_due");
  });

  it("canceled: canceled before the period end, expired once period and grace are over", async () => {
    const early = await arrange({ status: "canceled", periodEndDays: 10 });
    expect(await statusOf(early.sub)).toMatchObject({ status: "canceled", license_key: null });
    const late = await arrange({ status: "canceled", periodEndDays: -30 });
    expect((await statusOf(late.sub)).status).toBe("expired");
  });

  it("a revoked license → expired, though the subscription is active", async () => {
    const a = await arrange({ status: "active" }, { status: "revoked" });
    expect(await statusOf(a.sub)).toMatchObject({ status: "expired", license_key: a.key });
  });

  it("license_key is the newest token of the subscription's license; null without a license", async () => {
    const a = await arrange({ status: "active" });
    expect((await statusOf(a.sub)).license_key).toBeNull();

    const lic = await insertLicense({ customerId: a.customer.id, subscriptionId: a.subscription.id });
    await insertTokens(lic.id, [
      { key: "SR-BASE-old", issuedDays: -30, expiresDays: 7 },
      { key: "SR-BASE-new", issuedDays: 0, expiresDays: 37 },
    ]);
    expect((await statusOf(a.sub)).license_key).toBe("SR-BASE-new");
  });

  it("license_key follows the license's tier, as activate and validate pick it (a downgrade back reuses that tier's key)", async () => {
    const a = await arrange({ status: "active" });
    const lic = await insertLicense({ customerId: a.customer.id, subscriptionId: a.subscription.id, tier: "base" });
    await insertTokens(lic.id, [
      { key: "SR-BASE-first", tier: "base", issuedDays: -20, expiresDays: 37 },
      { key: "SR-PREMIUM-upgrade", tier: "premium", issuedDays: -10, expiresDays: 37 },
    ]);
    expect((await statusOf(a.sub)).license_key).toBe("SR-BASE-first");
  });

  it("current_period_end is null when Stripe gave none", async () => {
    const a = await arrange({ status: "active", periodEndDays: null });
    expect(await statusOf(a.sub)).toMatchObject({ status: "active", current_period_end: null });
  });

  it("no subscription: 404 no_subscription, for an unknown user and for a known one without it", async () => {
    const unknown = await problemOf(statusFor(`logto_${randomSuffix()}`));
    expect(expectProblem(unknown, 404, "no_subscription").ok).toBe(true);
    expect(unknown.json).toMatchObject({ code: "no_subscription", status: 404 });

    const customer = await insertCustomer();
    expect(await hasNoSubscription(customer.logtoUserId!)).toBe(true);
  });

  it("the two products are kept apart; ?product= picks one, simpl-resultat is the default", async () => {
    const a = await arrange({ status: "active", product: "simpl-resultat", tier: "base" });
    await insertSubscription({
      customerId: a.customer.id,
      product: "simpl-liste",
      tier: "premium",
      status: "past_due",
    });

    expect(await statusOf(a.sub)).toMatchObject({ product: "simpl-resultat", tier: "base", status: "active" });
    expect(await statusOf(a.sub, "simpl-resultat")).toMatchObject({
      product: "simpl-resultat",
      status: "active",
    });
    expect(await statusOf(a.sub, "simpl-liste")).toMatchObject({
      product: "simpl-liste",
      tier: "premium",
      status: "past_due",
    });

    const onlyListe = await arrange({ status: "active", product: "simpl-liste" });
    expect(await hasNoSubscription(onlyListe.sub)).toBe(true);
  });

  it("an unknown product is 422 validation_failed", async () => {
    const a = await arrange({ status: "active" });
    // Not one of the products: a query the typed client will not build.
    const res = await call("GET", "/subscriptions/status?product=photoshop", { headers: await asUser(a.sub) });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      code: "validation_failed",
      errors: [{ path: "product", message: expect.any(String) }],
    });
  });

  it("never shows another user's subscription", async () => {
    await arrange({ status: "active" }, {});
    expect(await hasNoSubscription(`logto_${randomSuffix()}`)).toBe(true);
  });

  it("a live subscription wins over a newer abandoned or ended one", async () => {
    const a = await arrange({ status: "active", periodEndDays: 20 }, {});
    await insertSubscription({
      customerId: a.customer.id,
      status: "incomplete_expired",
      currentPeriodEnd: daysFromNow(25),
    });
    await insertSubscription({ customerId: a.customer.id, status: "canceled", currentPeriodEnd: daysFromNow(40) });
    expect(await statusOf(a.sub)).toMatchObject({
      status: "active",
      license_key: a.key,
      current_period_end: isoSec(a.periodEnd!),
    });
  });

  it("without any live one, the subscription that ends last is shown", async () => {
    const a = await arrange({ status: "canceled", periodEndDays: -60 });
    await insertSubscription({
      customerId: a.customer.id,
      status: "canceled",
      currentPeriodEnd: daysFromNow(5),
      tier: "premium",
    });
    expect(await statusOf(a.sub)).toMatchObject({ status: "canceled", tier: "premium" });
  });
});
