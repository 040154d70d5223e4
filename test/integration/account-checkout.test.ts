// POST /checkout/sessions, POST /billing/portal, GET /checkout/sessions/{id}/license: what the desktop
// app gets, what Stripe's API receives (through the HTTP fake), and what the database holds after.
import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { http, HttpResponse } from "msw";
import { customers } from "../../src/db/schema";
import { TEST_STRIPE_API_BASE } from "../bindings";
import { bearer, signAccessToken, useLogto } from "../support/fakes/logto";
import { fakeCheckoutSession, formObject, requestsTo, type StripeWorld, useStripe } from "../support/fakes/stripe-api";
import {
  insertCustomer,
  insertLicense,
  insertLicenseToken,
  insertSubscription,
  randomSuffix,
} from "../support/factories";
import { testDb } from "../support/db";
import { server } from "../support/msw";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";

const ON_SALE = [
  "simpl-resultat_base_month",
  "simpl-resultat_premium_year",
  "simpl-liste_base_month",
  "simpl-liste_premium_month",
];
const isoSec = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

let stripe: StripeWorld;

beforeEach(async () => {
  await useLogto();
  stripe = useStripe({ lookupKeys: ON_SALE });
});

const asUser = async (sub: string, claims: Record<string, unknown> = {}) =>
  bearer(await signAccessToken({ sub, ...claims }));
const newUser = () => `logto_${randomSuffix()}`;

type CheckoutRequest = Parameters<typeof api.checkout.sessions.$post>[0]["json"];
const checkout = async (sub: string, json: CheckoutRequest, claims: Record<string, unknown> = {}) =>
  api.checkout.sessions.$post({ json }, { headers: await asUser(sub, claims) });

describe("POST /checkout/sessions", () => {
  it("a new user: Stripe Checkout in subscription mode for the looked-up price, 200 {url}", async () => {
    const sub = newUser();
    const res = await expectStatus(
      checkout(sub, { product: "simpl-resultat", tier: "premium", interval: "year" }, { email: "ada@example.test" }),
      200,
    );
    expect(Object.keys(res.json)).toEqual(["url"]);

    const [priceQuery] = requestsTo(stripe, "GET", "/v1/prices");
    expect(priceQuery!.params).toMatchObject({ "lookup_keys[0]": "simpl-resultat_premium_year", active: "true" });

    const [create] = requestsTo(stripe, "POST", "/v1/checkout/sessions");
    const p = create!.params;
    const created = stripe.checkoutSessions.values().next().value!;
    expect(res.json.url).toBe(created.url);
    expect(p.mode).toBe("subscription");
    expect(p.client_reference_id).toBe(sub);
    expect(p["line_items[0][price]"]).toMatch(/^price_/);
    expect(p["line_items[0][quantity]"]).toBe("1");
    expect(formObject(p, "metadata")).toEqual({ product: "simpl-resultat", tier: "premium", logto_user_id: sub });
    expect(formObject(p, "subscription_data[metadata]")).toEqual({
      product: "simpl-resultat",
      tier: "premium",
      logto_user_id: sub,
    });
    expect(p.success_url).toContain("{CHECKOUT_SESSION_ID}");
    expect(p.cancel_url).toMatch(/^https:\/\//);
    expect(p.customer_email).toBe("ada@example.test");
    expect(p.customer).toBeUndefined();
    expect(create!.headers.get("stripe-version")).toBe("2026-10-28.endive");
    expect(create!.headers.get("authorization")).toBe("Bearer sk_test_only_fake");

    // Nothing is recorded for a session: the checkout.session.completed webhook creates the rows.
    expect(await testDb().select().from(customers).where(eq(customers.logtoUserId, sub))).toEqual([]);
  });

  it("a user Stripe already knows pays as that customer, not as a new one", async () => {
    const customer = await insertCustomer();
    await expectStatus(
      checkout(
        customer.logtoUserId!,
        { product: "simpl-liste", tier: "base", interval: "month" },
        { email: "other@example.test" },
      ),
      200,
    );
    const [create] = requestsTo(stripe, "POST", "/v1/checkout/sessions");
    expect(create!.params.customer).toBe(customer.stripeCustomerId);
    expect(create!.params.customer_email).toBeUndefined();
    expect(formObject(create!.params, "metadata")).toEqual({
      product: "simpl-liste",
      tier: "base",
      logto_user_id: customer.logtoUserId,
    });
  });

  it("without a known customer or an email claim, Stripe collects the email itself", async () => {
    await expectStatus(checkout(newUser(), { product: "simpl-resultat", tier: "base", interval: "month" }), 200);
    const [create] = requestsTo(stripe, "POST", "/v1/checkout/sessions");
    expect(create!.params.customer).toBeUndefined();
    expect(create!.params.customer_email).toBeUndefined();
  });

  it("no active price for that product, tier and interval: 422, and no session", async () => {
    const res = await problemOf(checkout(newUser(), { product: "simpl-liste", tier: "premium", interval: "year" }));
    expect(expectProblem(res, 422, "validation_failed").ok).toBe(true);
    expect(res.json).toMatchObject({
      code: "validation_failed",
      errors: [expect.objectContaining({ message: expect.stringContaining("simpl-liste_premium_year") })],
    });
    expect(requestsTo(stripe, "GET", "/v1/prices")).toHaveLength(1);
    expect(requestsTo(stripe, "POST", "/v1/checkout/sessions")).toHaveLength(0);
  });

  it("invalid fields are 422 and malformed JSON 400, before any Stripe call", async () => {
    const sub = newUser();
    for (const body of [
      { product: "photoshop", tier: "base", interval: "month" },
      { product: "simpl-resultat", tier: "gold", interval: "month" },
      { product: "simpl-resultat", tier: "base", interval: "week" },
      {},
    ]) {
      // Values outside the schema's enums, or no fields at all: bodies the typed client will not build.
      const res = await call("POST", "/checkout/sessions", { body, headers: await asUser(sub) });
      expect(res.status).toBe(422);
      expect(res.json?.code).toBe("validation_failed");
    }
    const malformed = await call("POST", "/checkout/sessions", {
      rawBody: "{nope",
      headers: { ...(await asUser(sub)), "content-type": "application/json" },
    });
    expect(malformed.json).toMatchObject({ status: 400, code: "malformed_json" });
    expect(stripe.calls).toHaveLength(0);
  });

  it("a user who already holds the product gets 409 conflict (change it in the portal), not a second subscription", async () => {
    const customer = await insertCustomer();
    await insertSubscription({ customerId: customer.id, product: "simpl-resultat", status: "past_due" });
    const res = await problemOf(
      checkout(customer.logtoUserId!, { product: "simpl-resultat", tier: "premium", interval: "month" }),
    );
    expect(expectProblem(res, 409, "conflict").ok).toBe(true);
    expect(stripe.calls).toHaveLength(0);

    // The other product is still for sale to them, and so is one whose subscription has ended.
    expect(
      (await checkout(customer.logtoUserId!, { product: "simpl-liste", tier: "base", interval: "month" })).status,
    ).toBe(200);
    const ended = await insertCustomer();
    await insertSubscription({
      customerId: ended.id,
      status: "canceled",
      currentPeriodEnd: new Date(Date.now() - 30 * 86_400_000),
    });
    expect(
      (await checkout(ended.logtoUserId!, { product: "simpl-resultat", tier: "base", interval: "month" })).status,
    ).toBe(200);
  });

  it("Stripe unreachable: 503 unavailable", async () => {
    stripe.down = true;
    const res = await problemOf(checkout(newUser(), { product: "simpl-resultat", tier: "base", interval: "month" }));
    expect(expectProblem(res, 503, "unavailable").ok).toBe(true);
    expect(res.headers.get("retry-after")).toBeTruthy();
  });

  it("Stripe refusing the request (e.g. a misconfigured price): 502 bad_gateway, logged, no detail leaked", async () => {
    server.use(
      http.post(`${TEST_STRIPE_API_BASE}/v1/checkout/sessions`, () =>
        HttpResponse.json(
          {
            error: {
              type: "invalid_request_error",
              message: "The price specified is not recurring: price_123",
              param: "line_items[0][price]",
            },
          },
          { status: 400 },
        ),
      ),
    );
    const res = await problemOf(checkout(newUser(), { product: "simpl-resultat", tier: "base", interval: "month" }));
    expect(expectProblem(res, 502, "bad_gateway").ok).toBe(true);
    expect(res.text).not.toContain("price_123");
  });

  it("no token: 401 invalid_token and no call to Stripe", async () => {
    const res = await problemOf(
      api.checkout.sessions.$post({ json: { product: "simpl-resultat", tier: "base", interval: "month" } }),
    );
    expect(expectProblem(res, 401, "invalid_token").ok).toBe(true);
    expect(stripe.calls).toHaveLength(0);
  });
});

describe("POST /billing/portal", () => {
  const portal = async (sub: string) => api.billing.portal.$post({}, { headers: await asUser(sub) });

  it("a portal session for the user's own Stripe customer: 200 {url}", async () => {
    const customer = await insertCustomer();
    const res = await expectStatus(portal(customer.logtoUserId!), 200);
    expect(Object.keys(res.json)).toEqual(["url"]);
    expect(res.json.url).toMatch(/^https:\/\/billing\.stripe\.com\//);
    const [create] = requestsTo(stripe, "POST", "/v1/billing_portal/sessions");
    expect(create!.params).toEqual({
      customer: customer.stripeCustomerId,
      return_url: expect.stringMatching(/^https:\/\//),
    });
  });

  it("no customer, or one Stripe does not know yet: 404 no_subscription, and no call to Stripe", async () => {
    expect(expectProblem(await problemOf(portal(newUser())), 404, "no_subscription").ok).toBe(true);
    const withoutStripe = await insertCustomer({ stripeCustomerId: null });
    expect(expectProblem(await problemOf(portal(withoutStripe.logtoUserId!)), 404, "no_subscription").ok).toBe(true);
    expect(stripe.calls).toHaveLength(0);
  });

  it("no token: 401", async () => {
    expect((await api.billing.portal.$post()).status).toBe(401);
  });
});

describe("GET /checkout/sessions/{id}/license", () => {
  const licenseOf = async (sub: string, sessionId: string) =>
    api.checkout.sessions[":id"].license.$get({ param: { id: sessionId } }, { headers: await asUser(sub) });
  /** Whether the session's license answer is the 404 problem with this code (not_found, not_ready). */
  const answers404 = async (sub: string, sessionId: string, code: string) =>
    expectProblem(await problemOf(licenseOf(sub, sessionId)), 404, code).ok;

  /** What the checkout.session.completed webhook leaves behind for the session. */
  async function issueLicenseFor(sessionId: string, owner: { id: string }) {
    const license = await insertLicense({
      customerId: owner.id,
      checkoutSessionId: sessionId,
      product: "simpl-liste",
      tier: "premium",
      expiresAt: new Date("2027-01-08T00:00:00Z"),
    });
    const token = await insertLicenseToken({
      licenseId: license.id,
      key: `SL-PREMIUM-${randomSuffix()}`,
      tier: "premium",
    });
    return { license, token };
  }

  it("once the webhook has issued it: 200 {key, product, tier, expires_at}, without asking Stripe", async () => {
    const customer = await insertCustomer();
    const sessionId = fakeCheckoutSession().id;
    const { token } = await issueLicenseFor(sessionId, customer);
    const res = await expectStatus(licenseOf(customer.logtoUserId!, sessionId), 200);
    expect(res.json).toEqual({
      key: token.key,
      product: "simpl-liste",
      tier: "premium",
      expires_at: "2027-01-08T00:00:00Z",
    });
    expect(stripe.calls).toHaveLength(0);
  });

  it("the newest token is handed out when the license has several", async () => {
    const customer = await insertCustomer();
    const sessionId = fakeCheckoutSession().id;
    const { license } = await issueLicenseFor(sessionId, customer);
    const newer = await insertLicenseToken({
      licenseId: license.id,
      key: "SL-PREMIUM-renewed",
      tier: "premium",
      issuedAt: new Date(Date.now() + 1000),
    });
    expect((await expectStatus(licenseOf(customer.logtoUserId!, sessionId), 200)).json.key).toBe(newer.key);
  });

  it("the user's own session before the license exists: 404 not_ready (Stripe confirms whose it is)", async () => {
    const sub = newUser();
    const session = fakeCheckoutSession({
      client_reference_id: sub,
      metadata: { logto_user_id: sub },
      status: "complete",
      payment_status: "paid",
    });
    stripe.checkoutSessions.set(session.id, session);
    const res = await problemOf(licenseOf(sub, session.id));
    expect(expectProblem(res, 404, "not_ready").ok).toBe(true);
    expect(res.json).toMatchObject({ code: "not_ready", checkout_status: "complete" });
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect(requestsTo(stripe, "GET", `/v1/checkout/sessions/${session.id}`)).toHaveLength(1);
  });

  it("a session that names the user only in metadata.logto_user_id is theirs too", async () => {
    const sub = newUser();
    const session = fakeCheckoutSession({ client_reference_id: null, metadata: { logto_user_id: sub } });
    stripe.checkoutSessions.set(session.id, session);
    expect(await answers404(sub, session.id, "not_ready")).toBe(true);
  });

  it("another user's session: 404 not_found, whether or not its license exists yet", async () => {
    const owner = await insertCustomer();
    const pending = fakeCheckoutSession({
      client_reference_id: owner.logtoUserId,
      metadata: { logto_user_id: owner.logtoUserId! },
    });
    stripe.checkoutSessions.set(pending.id, pending);
    const stranger = newUser();
    expect(await answers404(stranger, pending.id, "not_found")).toBe(true);

    await issueLicenseFor(pending.id, owner);
    const after = await problemOf(licenseOf(stranger, pending.id));
    expect(expectProblem(after, 404, "not_found").ok).toBe(true);
    expect(after.text).not.toContain("SL-PREMIUM");
    expect((await licenseOf(owner.logtoUserId!, pending.id)).status).toBe(200);
  });

  it("a session Stripe does not know, or an id that is not a session id: 404 not_found", async () => {
    const sub = newUser();
    expect(await answers404(sub, fakeCheckoutSession().id, "not_found")).toBe(true);
    const before = stripe.calls.length;
    for (const id of ["nope", "cs_test_../../v1/customers", "pi_123"]) {
      expect(await answers404(sub, encodeURIComponent(id), "not_found"), id).toBe(true);
    }
    expect(stripe.calls).toHaveLength(before);
  });

  it("a license whose customer has no Logto user yet is handed out once Stripe confirms the session is theirs", async () => {
    const sub = newUser();
    const session = fakeCheckoutSession({ client_reference_id: sub, metadata: { logto_user_id: sub } });
    stripe.checkoutSessions.set(session.id, session);
    const { token } = await issueLicenseFor(session.id, await insertCustomer({ logtoUserId: null }));
    const res = await expectStatus(licenseOf(sub, session.id), 200);
    expect(res.json.key).toBe(token.key);
  });

  it("end to end: checkout, then not_ready, then the key once the webhook has issued the license", async () => {
    const customer = await insertCustomer();
    const created = await expectStatus(
      checkout(customer.logtoUserId!, { product: "simpl-liste", tier: "premium", interval: "month" }),
      200,
    );
    // The app reads the id back from the success URL; here it is the session the fake created.
    const sessionId = [...stripe.checkoutSessions.keys()][0]!;
    expect(created.json.url).toContain(sessionId);

    expect(await answers404(customer.logtoUserId!, sessionId, "not_ready")).toBe(true);
    const { token, license } = await issueLicenseFor(sessionId, customer);
    const ready = await expectStatus(licenseOf(customer.logtoUserId!, sessionId), 200);
    expect(ready.json).toEqual({
      key: token.key,
      product: "simpl-liste",
      tier: "premium",
      expires_at: isoSec(license.expiresAt),
    });
  });

  it("no token: 401", async () => {
    expect((await api.checkout.sessions[":id"].license.$get({ param: { id: fakeCheckoutSession().id } })).status).toBe(
      401,
    );
  });
});
