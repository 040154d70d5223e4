// Issue 22 item 4: disputes in every order and with every ending. One license may carry several disputes
// (the first payment and a renewal); a dispute may arrive before its checkout; endive's statuses include
// `prevented` and an appeal (`appeal_needs_response`, `appeal_under_review`) after a loss.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { disputes } from "../../src/db/schema";
import { testDb } from "../support/db";
import {
  atPayment,
  charge,
  checkoutSession,
  deliver,
  dispute,
  event,
  invoice,
  invoicePayment,
  newPayment,
  newPurchase,
  nowSec,
  subscription,
} from "../support/fakes/stripe-events";
import { api, expectStatus } from "../support/api";
import {
  licenseById,
  licenseOfSession,
  oneTimeCheckout,
  oneTimePurchase,
  settled,
  tokensOf,
  useStripeScenario,
  applyEvent,
} from "../support/stripe-scenario";

const DAY = 86_400;
type World = ReturnType<typeof useStripeScenario>["world"];
type Dispute = ReturnType<typeof dispute>;

let clock = nowSec();
/** Strictly later `created` for each event of a test: the order the test sends is the order they happened. */
const later = () => ++clock;

/** Applies an event about `object`, created after every event the test sent before. */
const apply = (type: string, object: unknown) => applyEvent(event(type, object, { created: later() }));

/** Validate's verdict on a key (always 200 for a well-formed request). */
const validate = async (key: string) =>
  (await expectStatus(api.licenses.validate.$post({ header: {}, json: { key } }), 200)).json;
const disputeRow = async (id: string) => (await testDb().select().from(disputes).where(eq(disputes.id, id)))[0];
const closed = (d: Dispute, status: string) => ({ ...d, status });

/** A subscription bought through Checkout, then renewed once: two payments of one license. */
async function renewedSubscription(world: World) {
  const p = newPurchase();
  world.subscriptions.set(p.subscriptionId, subscription(p));
  world.invoicePayments.set(p.paymentIntentId, invoicePayment(p));
  await apply("checkout.session.completed", checkoutSession(p));
  const license = await licenseOfSession(p.sessionId);
  const renewal = newPayment(p, { start: p.periodEnd, end: p.periodEnd + 30 * DAY });
  world.invoicePayments.set(
    renewal.paymentIntentId,
    invoicePayment(atPayment(p, renewal), { invoice: renewal.invoiceId }),
  );
  expect((await apply("invoice.payment_succeeded", invoice(atPayment(p, renewal), renewal.period))).status).toBe(
    "processed",
  );
  const [token] = await tokensOf(license.id);
  return { p, renewal, license, key: token!.key };
}

/** A renewed subscription with both its payments disputed: the two open disputes and the license they suspend. */
async function disputedTwice() {
  const { world } = useStripeScenario();
  const { p, renewal, license, key } = await renewedSubscription(world);
  const first = dispute(p);
  const second = dispute(atPayment(p, renewal));
  await apply("charge.dispute.created", first);
  await apply("charge.dispute.created", second);
  return { license, key, first, second };
}

describe("two disputes on one license", () => {
  it("4: winning one does not lift the suspension while the other is open; winning both does", async () => {
    const { license, key, first, second } = await disputedTwice();
    expect(await validate(key)).toMatchObject({ valid: false, code: "suspended" });

    expect((await apply("charge.dispute.closed", closed(first, "won"))).status).toBe("processed");
    expect(await licenseById(license.id)).toMatchObject({ status: "suspended" });
    expect(await validate(key)).toMatchObject({ valid: false, code: "suspended" });
    expect(await disputeRow(first.id)).toMatchObject({ status: "won", licenseId: license.id });
    expect(await disputeRow(second.id)).toMatchObject({ status: "needs_response", licenseId: license.id });

    await apply("charge.dispute.closed", closed(second, "won"));
    expect(await licenseById(license.id)).toMatchObject({ status: "active" });
    expect(await validate(key)).toMatchObject({ valid: true, code: "valid" });
  });

  it("4: losing one revokes while the other is still open, and winning the other then does not bring it back", async () => {
    const { license, key, first, second } = await disputedTwice();
    await apply("charge.dispute.closed", closed(second, "lost"));
    await apply("charge.dispute.closed", closed(first, "won"));
    expect(await licenseById(license.id)).toMatchObject({ status: "revoked", revokeReason: "dispute_lost" });
    expect((await validate(key)).code).toBe("revoked");
  });
});

describe("a dispute before its checkout", () => {
  it("4: a one-time purchase disputed before its checkout is applied: the license is issued suspended, and a win reinstates it", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase();
    const early = dispute(p);
    expect((await apply("charge.dispute.created", early)).status).toBe("ignored"); // remembered, nothing to suspend yet
    expect(await disputeRow(early.id)).toMatchObject({ paymentIntentId: p.paymentIntentId, licenseId: null });

    await apply("checkout.session.completed", oneTimeCheckout(p));
    const license = await licenseOfSession(p.sessionId);
    const [token] = await tokensOf(license.id);
    expect(license.status).toBe("suspended");
    expect(await validate(token!.key)).toMatchObject({ valid: false, code: "suspended" });
    expect(await disputeRow(early.id)).toMatchObject({ licenseId: license.id });
    void world;

    await apply("charge.dispute.closed", closed(early, "won"));
    expect(await validate(token!.key)).toMatchObject({ valid: true, code: "valid" });
  });

  it("4: a subscription's first payment disputed (and lost) before its checkout: the license is issued revoked", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase();
    world.subscriptions.set(p.subscriptionId, subscription(p));
    world.invoicePayments.set(p.paymentIntentId, invoicePayment(p));
    const early = dispute(p);
    await apply("charge.dispute.created", early);
    await apply("charge.dispute.closed", closed(early, "lost"));
    await apply("checkout.session.completed", checkoutSession(p));
    const license = await licenseOfSession(p.sessionId);
    expect(await licenseById(license.id)).toMatchObject({ status: "revoked", revokeReason: "dispute_lost" });
    expect(await disputeRow(early.id)).toMatchObject({ status: "lost", licenseId: license.id });
  });
});

describe("endive's dispute statuses", () => {
  it("4: prevented ends a dispute like won", async () => {
    const { p, license, key } = await oneTimePurchase({ created: later() });
    const d = dispute(p, { status: "warning_needs_response" });
    await apply("charge.dispute.created", d);
    expect(await licenseById(license.id)).toMatchObject({ status: "suspended" });
    await apply("charge.dispute.closed", closed(d, "prevented"));
    expect(await licenseById(license.id)).toMatchObject({ status: "active" });
    expect((await validate(key)).code).toBe("valid");
  });

  it("4: appeal_needs_response and appeal_under_review change nothing; a won appeal reinstates the license the loss revoked", async () => {
    const { p, license, key } = await oneTimePurchase({ created: later() });
    const d = dispute(p);
    await apply("charge.dispute.created", d);
    await apply("charge.dispute.closed", closed(d, "lost"));
    expect(await licenseById(license.id)).toMatchObject({ status: "revoked", revokeReason: "dispute_lost" });
    for (const status of ["appeal_needs_response", "appeal_under_review"]) {
      expect((await apply("charge.dispute.updated", closed(d, status))).status).toBe("processed");
      expect(await licenseById(license.id), status).toMatchObject({ status: "revoked", revokeReason: "dispute_lost" });
    }
    await apply("charge.dispute.closed", closed(d, "won"));
    expect(await licenseById(license.id)).toMatchObject({ status: "active", revokeReason: null, revokedAt: null });
    expect((await validate(key)).code).toBe("valid");
    expect(await disputeRow(d.id)).toMatchObject({ status: "won", revokedLicenseAt: expect.any(Date) });
  });

  it("4: an appeal won does not reinstate a license revoked for something else (a refund before the loss)", async () => {
    const { p, license } = await oneTimePurchase({ created: later() });
    await apply("charge.refunded", charge(p));
    expect(await licenseById(license.id)).toMatchObject({ status: "revoked", revokeReason: "refund" });
    const d = dispute(p);
    await apply("charge.dispute.created", d);
    await apply("charge.dispute.closed", closed(d, "lost"));
    await apply("charge.dispute.closed", closed(d, "won"));
    expect(await licenseById(license.id)).toMatchObject({ status: "revoked", revokeReason: "refund" });
    expect(await disputeRow(d.id)).toMatchObject({ status: "won", revokedLicenseAt: null });
  });

  it("4: a won appeal with another dispute of the license still open reinstates it suspended", async () => {
    const { world } = useStripeScenario();
    const { p, renewal, license, key } = await renewedSubscription(world);
    const first = dispute(p);
    await apply("charge.dispute.created", first);
    await apply("charge.dispute.closed", closed(first, "lost"));
    const second = dispute(atPayment(p, renewal));
    await apply("charge.dispute.created", second);
    await apply("charge.dispute.closed", closed(first, "won"));
    expect(await licenseById(license.id)).toMatchObject({ status: "suspended", revokeReason: null });
    expect((await validate(key)).code).toBe("suspended");
    await apply("charge.dispute.closed", closed(second, "won"));
    expect((await validate(key)).code).toBe("valid");
  });

  it("4: an older dispute event (an opening delivered after its close) changes nothing", async () => {
    const { p, license } = await oneTimePurchase({ created: later() });
    const d = dispute(p);
    const opened = later();
    const e = event("charge.dispute.closed", closed(d, "won"), { created: later() });
    await deliver(e);
    await settled(e.id);
    const late = event("charge.dispute.created", d, { created: opened });
    await deliver(late);
    expect(await settled(late.id)).toMatchObject({ status: "ignored" });
    expect(await licenseById(license.id)).toMatchObject({ status: "active" });
  });
});
