// Privacy by design (docs/privacy.md): retention run by the nightly job with its clock moved forward,
// erasure on request asserted against every text and json column of every table, the right of access.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deactivations, emailOutbox } from "../../src/db/schema";
import { runNightly } from "../support/cron";
import { TEST_INTERNAL_KEYS, TEST_NAMED_KEY } from "../bindings";
import { testDb } from "../support/db";
import { deliveredTo } from "../support/fakes/resend";
import { bearer, signAccessToken, useLogto } from "../support/fakes/logto";
import {
  charge,
  checkoutSession,
  deliver,
  event,
  invoicePayment,
  newPurchase,
  subscription,
  type Purchase,
} from "../support/fakes/stripe-events";
import { insertLicenseToken, issueTestLicense, randomMachineId, randomSuffix } from "../support/factories";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";
import { currentSigningKey, decodeClaims, jwtOf, licenseClaims, signKey } from "../support/licenses";
import {
  eventRow,
  licenseById,
  licenseOfSession,
  settled,
  tokensOf,
  useStripeScenario,
} from "../support/stripe-scenario";
import { waitFor } from "../support/wait";

const DAY_MS = 86_400_000;
const admin = { authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}` };
const named = { authorization: `Bearer ${TEST_NAMED_KEY.secret}` };

/** A paid checkout whose buyer typed a name, its key delivered by email, and a named machine on it. */
async function purchaseWithMachine(scenario: ReturnType<typeof useStripeScenario>) {
  const name = `Marie-Ève Tremblay ${randomSuffix().slice(0, 6)}`;
  const machineName = `Portable de ${name}`;
  const p = newPurchase();
  scenario.world.subscriptions.set(p.subscriptionId, subscription(p));
  scenario.world.invoicePayments.set(p.paymentIntentId, invoicePayment(p));
  const session = checkoutSession(p);
  const e = event("checkout.session.completed", {
    ...session,
    customer_details: { ...session.customer_details, email: p.email, name },
  });
  expect((await deliver(e)).status).toBe(200);
  await settled(e.id);
  const license = await licenseOfSession(p.sessionId);
  const [token] = await tokensOf(license.id);
  const mail = await waitFor(async () => deliveredTo(scenario.resend, p.email)[0], { what: "the license email" });
  expect(mail.text).toContain(token!.key);
  const machineId = randomMachineId();
  await expectStatus(
    api.licenses.activate.$post({
      header: {},
      json: { key: token!.key, machine_id: machineId, machine_name: machineName },
    }),
    200,
  );
  return { p, e, license, key: token!.key, machineId, name, machineName };
}

/** Every row of every table whose text, json or array columns contain `needle` (case-insensitive). */
async function rowsContaining(needle: string): Promise<string[]> {
  const db = testDb();
  const { rows: columns } = await db.execute<{ table_name: string; column_name: string }>(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'jsonb', 'json', 'ARRAY', 'character varying')`);
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(table_name)} where ${sql.identifier(column_name)}::text ilike ${`%${needle}%`}`,
    );
    if (rows[0]!.n > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

type Erasure = { email: string; reason?: string } | { customer_id: string; reason?: string };
const erase = (who: Erasure, headers: Record<string, string> = admin) =>
  api.admin.customers.erase.$post({ json: { reason: "customer asked by email", ...who } }, { headers });
/** A body the erase route's schema refuses (nobody named, or both ways at once): sent raw. */
const eraseRaw = (body: Record<string, unknown>) =>
  call("POST", "/admin/customers/erase", { headers: admin, body: { reason: "customer asked by email", ...body } });
const validate = async (json: { key: string; machine_id?: string }) =>
  (await expectStatus(api.licenses.validate.$post({ header: {}, json }), 200)).json;

describe("retention (the nightly job, its clock moved forward)", () => {
  it("blanks a delivered email's body, drops an applied event's payload after 30 days, deletes deactivations out of their window", async () => {
    const scenario = useStripeScenario();
    const { e, license, key, machineId, p } = await purchaseWithMachine(scenario);
    await expectStatus(api.licenses.deactivate.$post({ header: {}, json: { key, machine_id: machineId } }), 200);
    const mailOf = async () =>
      (await testDb().select().from(emailOutbox).where(eq(emailOutbox.licenseId, license.id)))[0]!;
    const deactivationsOf = () => testDb().select().from(deactivations).where(eq(deactivations.licenseId, license.id));
    await waitFor(async () => (await mailOf()).sentAt, { what: "sent_at" });

    const now = Date.now();
    await runNightly(now + 60_000);
    const mail = await mailOf();
    expect(mail).toMatchObject({ textBody: "", kind: "license_issued", toEmail: p.email });
    expect(mail.sentAt).not.toBeNull();
    expect((await eventRow(e.id))!.payload).not.toBeNull(); // applied today: kept for 30 days
    expect(await deactivationsOf()).toHaveLength(1);

    await runNightly(now + 29 * DAY_MS);
    expect((await eventRow(e.id))!.payload).not.toBeNull();
    expect(await deactivationsOf()).toHaveLength(1);

    await runNightly(now + 31 * DAY_MS);
    const row = (await eventRow(e.id))!;
    expect(row).toMatchObject({ payload: null, type: "checkout.session.completed", status: "processed" });
    expect(row.objectIds).toEqual(expect.arrayContaining([p.sessionId, p.customerId, p.subscriptionId]));
    expect(await deactivationsOf()).toHaveLength(0);
    // Nothing else moved: the license and its seat count still work.
    expect(await validate({ key })).toMatchObject({ valid: true });
  });

  it("a failed event keeps its payload until it is resolved", async () => {
    useStripeScenario();
    const p = newPurchase({ product: "no-such-product" } as Partial<Purchase>);
    const e = event("checkout.session.completed", checkoutSession(p, { metadata: {}, subscription: null }));
    await deliver(e);
    expect((await settled(e.id)).status).toBe("failed");
    await runNightly(Date.now() + 40 * DAY_MS);
    expect((await eventRow(e.id))!.payload).not.toBeNull();
  });
});

describe("POST /admin/customers/erase", () => {
  it("removes the email, the name and the machine names from every table; the license still validates and a later refund still revokes it", async () => {
    const scenario = useStripeScenario();
    const { p, license, key, machineId, name, machineName } = await purchaseWithMachine(scenario);
    expect(await rowsContaining(p.email)).not.toHaveLength(0);

    await expectStatus(
      api.admin.licenses[":id"]["reset-deactivations"].$post(
        { param: { id: license.id }, json: { reason: `support call from ${p.email}` } },
        { headers: named },
      ),
      200,
    );

    const res = await expectStatus(
      erase({ email: p.email.toUpperCase(), reason: `asked by ${p.email} on the phone` }, named),
      200,
    );
    expect(res.json).toMatchObject({
      license_ids: [license.id],
      removed: { customers: 1, licenses: 1, activations: 1, email_outbox: 1 },
    });
    expect(res.json.removed.stripe_events).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(res.json)).not.toContain(p.email);

    expect(await rowsContaining(p.email)).toEqual([]);
    expect(await rowsContaining(name)).toEqual([]);
    expect(await rowsContaining(machineName)).toEqual([]);

    // The paid license keeps working, seat and all.
    expect(await validate({ key, machine_id: machineId })).toMatchObject({ valid: true });
    // Support finds nothing by the address; recovery sends nothing.
    const found = await expectStatus(api.admin.licenses.$get({ query: { email: p.email } }, { headers: admin }), 200);
    expect(found.json.licenses).toEqual([]);
    const before = deliveredTo(scenario.resend, p.email).length;
    await expectStatus(api.licenses.recover.$post({ json: { email: p.email } }), 202);

    // A refund arriving later is applied, and stored without the person's fields.
    const refund = event("charge.refunded", charge(p));
    expect((await deliver(refund)).status).toBe(200);
    await settled(refund.id);
    expect(await licenseById(license.id)).toMatchObject({ status: "revoked", revokeReason: "refund", email: null });
    expect((await eventRow(refund.id))!.payload).toBeNull();
    expect(await rowsContaining(p.email)).toEqual([]);
    expect(deliveredTo(scenario.resend, p.email)).toHaveLength(before);

    // Audited under the key's name, by ids only; the address typed into the reason is not kept.
    const audit = await expectStatus(api.admin.audit.$get({ query: { target: license.id } }, { headers: named }), 200);
    expect(audit.json.entries).toEqual([
      expect.objectContaining({
        actor: TEST_NAMED_KEY.name,
        action: "erase-customer",
        target: license.id,
        reason: "asked by [erased] on the phone",
      }),
      expect.objectContaining({ action: "reset-deactivations", reason: "support call from [erased]" }),
    ]);
    expect(await rowsContaining(p.email)).toEqual([]);

    // Idempotent: a second erasure finds nothing left to remove.
    const again = await expectStatus(erase({ customer_id: p.customerId }), 200);
    expect(again.json.removed).toEqual({
      customers: 1, // the customer is marked erased again (its address is already gone)
      licenses: 0,
      license_tokens: 0,
      activations: 0,
      email_outbox: 0,
      stripe_events: 0,
    });
  });

  it("a redelivered checkout after the erasure does not bring the address back", async () => {
    const scenario = useStripeScenario();
    const { p, e, license } = await purchaseWithMachine(scenario);
    await expectStatus(erase({ customer_id: p.customerId }), 200);
    const redelivered = { ...e, id: `${e.id}_again` };
    expect((await deliver(redelivered)).status).toBe(200);
    await settled(redelivered.id);
    expect((await licenseById(license.id)).email).toBeNull();
    expect(await rowsContaining(p.email)).toEqual([]);
  });

  it("re-signs a key issued with an email claim (before keys stopped carrying it): same jti and times, no address, still valid", async () => {
    useStripeScenario();
    const { id, license } = await issueTestLicense({ tier: "premium" });
    const email = license.email!;
    const claims = licenseClaims(id, { tier: "premium", email, exp: Math.floor(Date.now() / 1000) + 400 * 86_400 });
    const legacyKey = await signKey(currentSigningKey(), claims, { prefix: "SR-PREMIUM" });
    await insertLicenseToken({
      licenseId: id,
      jti: String(claims.jti),
      key: legacyKey,
      tier: "premium",
      issuedAt: new Date(Number(claims.iat) * 1000),
      expiresAt: new Date(Number(claims.exp) * 1000),
    });
    const res = await expectStatus(erase({ email }), 200);
    expect(res.json.removed.license_tokens).toBe(1);
    const stored = (await tokensOf(id)).find((t) => t.jti === claims.jti)!;
    expect(stored.key).not.toBe(legacyKey);
    const resigned = decodeClaims(jwtOf(stored.key));
    expect(resigned).not.toHaveProperty("email");
    expect(resigned).toMatchObject({ jti: claims.jti, sub: id, iat: claims.iat, exp: claims.exp, tier: "premium" });
    // Both the key the app still holds and the new one validate.
    for (const key of [legacyKey, stored.key]) expect(await validate({ key })).toMatchObject({ valid: true });
    expect(await rowsContaining(email)).toEqual([]);
  });

  it("refuses a body that names nobody, or both ways at once, with 422 and changes nothing", async () => {
    expect(expectProblem(await eraseRaw({}), 422, "validation_failed").ok).toBe(true);
    const both = await eraseRaw({ email: "a@example.test", customer_id: "cus_x" });
    expect(expectProblem(both, 422, "validation_failed").ok).toBe(true);
    const unauth = await problemOf(erase({ email: "a@example.test" }, {}));
    expect(expectProblem(unauth, 401, "unauthorized").ok).toBe(true);
  });
});

describe("GET /account/data", () => {
  it("answers everything held about the signed-in person: customers, licenses, keys, machines, payments, emails without bodies, events", async () => {
    await useLogto();
    const scenario = useStripeScenario();
    const { p, license, key, machineId, machineName } = await purchaseWithMachine(scenario);
    const accountData = async (sub?: string) =>
      api.account.data.$get({}, { headers: sub === undefined ? {} : bearer(await signAccessToken({ sub })) });
    const res = await expectStatus(accountData(p.logtoUserId), 200);
    expect(res.json.customers).toEqual([expect.objectContaining({ email: p.email, stripe_customer_id: p.customerId })]);
    expect(res.json.licenses).toEqual([
      expect.objectContaining({
        id: license.id,
        email: p.email,
        status: "active",
        keys: [expect.objectContaining({ key })],
        machines: [expect.objectContaining({ machine_id: machineId, machine_name: machineName })],
      }),
    ]);
    expect(res.json.emails).toEqual([expect.objectContaining({ kind: "license_issued", to: p.email })]);
    expect(JSON.stringify(res.json.emails)).not.toContain(key); // no bodies
    expect(res.json.events.map((e) => e.type)).toContain("checkout.session.completed");

    const stranger = await expectStatus(accountData(`logto_${randomSuffix()}`), 200);
    expect(stranger.json).toMatchObject({ customers: [], licenses: [], payments: [], emails: [], events: [] });
    expect(expectProblem(await problemOf(accountData()), 401, "invalid_token").ok).toBe(true);
  });
});
