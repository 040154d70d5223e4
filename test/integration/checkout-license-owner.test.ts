// Issue 22 item 6: GET /checkout/sessions/{id}/license takes the session's owner through the same rule
// as the checkout handler: metadata.logto_user_id first; a bare client_reference_id (a Payment Link lets
// the buyer type any) is nobody, and one disagreeing with the metadata makes the session nobody's.
import { beforeEach, describe, expect, it } from "vitest";
import { bearer, signAccessToken, useLogto } from "../support/fakes/logto";
import { fakeCheckoutSession, requestsTo, type StripeWorld, useStripe } from "../support/fakes/stripe-api";
import { insertCustomer, insertLicense, insertLicenseToken, randomSuffix } from "../support/factories";
import { api, expectStatus, problemOf } from "../support/api";
import { expectProblem } from "../support/http";

let stripe: StripeWorld;

beforeEach(async () => {
  await useLogto();
  stripe = useStripe();
});

const newUser = () => `logto_${randomSuffix()}`;
const licenseOf = async (sub: string, sessionId: string) =>
  api.checkout.sessions[":id"].license.$get(
    { param: { id: sessionId } },
    { headers: bearer(await signAccessToken({ sub })) },
  );

/** The user's error answer for the session, read as a problem, with its raw text (to check that no key leaks). */
const refusal = (sub: string, sessionId: string) => problemOf(licenseOf(sub, sessionId));

/** What the webhook leaves for a session it linked to no user: a license of a customer without a Logto user. */
async function unownedLicense(sessionId: string) {
  const customer = await insertCustomer({ logtoUserId: null });
  const license = await insertLicense({ customerId: customer.id, checkoutSessionId: sessionId });
  const token = await insertLicenseToken({ licenseId: license.id, key: `SR-BASE-${randomSuffix()}` });
  return { license, token };
}

describe("the owner behind GET /checkout/sessions/{id}/license", () => {
  it("6: a session naming the user only in client_reference_id (typed by the buyer) is not theirs: 404 not_found, no key", async () => {
    const typed = newUser();
    const session = fakeCheckoutSession({ client_reference_id: typed, metadata: { product: "simpl-resultat" } });
    stripe.checkoutSessions.set(session.id, session);
    expect(expectProblem(await problemOf(licenseOf(typed, session.id)), 404, "not_found").ok).toBe(true);

    const { token } = await unownedLicense(session.id);
    const after = await refusal(typed, session.id);
    expect(expectProblem(after, 404, "not_found").ok).toBe(true);
    expect(after.text).not.toContain(token.key);
    expect(requestsTo(stripe, "GET", `/v1/checkout/sessions/${session.id}`)).toHaveLength(2);
  });

  it("6: a client_reference_id disagreeing with metadata.logto_user_id makes the session nobody's, for either user", async () => {
    const meta = newUser();
    const typed = newUser();
    const session = fakeCheckoutSession({ client_reference_id: typed, metadata: { logto_user_id: meta } });
    stripe.checkoutSessions.set(session.id, session);
    const { token } = await unownedLicense(session.id);
    for (const sub of [meta, typed]) {
      const res = await refusal(sub, session.id);
      expect(expectProblem(res, 404, "not_found").ok, sub).toBe(true);
      expect(res.text).not.toContain(token.key);
    }
  });

  it("6: the server-set metadata owner (with or without an agreeing client_reference_id) still gets the key", async () => {
    for (const over of [{ client_reference_id: null }, {}]) {
      const sub = newUser();
      const session = fakeCheckoutSession({ client_reference_id: sub, metadata: { logto_user_id: sub }, ...over });
      stripe.checkoutSessions.set(session.id, session);
      expect(expectProblem(await problemOf(licenseOf(sub, session.id)), 404, "not_ready").ok).toBe(true);
      const { token } = await unownedLicense(session.id);
      const res = await expectStatus(licenseOf(sub, session.id), 200);
      expect(res.json.key).toBe(token.key);
    }
  });
});
