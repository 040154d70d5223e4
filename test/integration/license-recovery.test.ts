// POST /licenses/recover: "I lost my key". The endpoint only queues the request; the consumer looks the
// address up, writes one outbox row within the per-address limits, and the email goes out through Resend.
import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { emailOutbox } from "../../src/db/schema";
import { addDays } from "../../src/lib/clock";
import { newId } from "../../src/lib/ids";
import { RECOVERY_PER_DAY, sendLicenseRecovery } from "../../src/services/recovery/send-license-recovery";
import { testDb } from "../support/db";
import { deliveredTo, type ResendFake, useResend } from "../support/fakes/resend";
import { issueTestLicense, randomEmail, randomMachineId, randomSuffix, serviceCtx } from "../support/factories";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";
import { waitFor } from "../support/wait";

const recover = (email: string, headers: Record<string, string> = {}) =>
  api.licenses.recover.$post({ json: { email } }, { headers });

const recoveryRows = (address: string) =>
  testDb()
    .select()
    .from(emailOutbox)
    .where(
      and(eq(emailOutbox.kind, "license_recovery"), sql`lower(${emailOutbox.toEmail}) = ${address.toLowerCase()}`),
    );

/** The consumer's half, called as the queue calls it, at a chosen time (the limits are about time). */
const recoverAt = (address: string, at: Date, requestId = newId("rcv")) =>
  sendLicenseRecovery({ ...serviceCtx(), clock: { now: () => at } }, { requestId, address: address.toLowerCase() });

let resend: ResendFake;
beforeEach(() => {
  resend = useResend();
});

describe("POST /licenses/recover", () => {
  it("emails a buyer every active or suspended license with its newest key, product, tier, expiry and machines; a revoked one is not listed", async () => {
    const email = randomEmail();
    const active = await issueTestLicense({ email, tier: "premium" });
    const revoked = await issueTestLicense({ email, status: "revoked" });
    const suspended = await issueTestLicense({ email, product: "simpl-liste", status: "suspended" });
    const machineId = randomMachineId();
    await expectStatus(
      api.licenses.activate.$post({
        header: {},
        json: {
          key: active.key,
          machine_id: machineId,
          machine_name: "Bureau de Léa",
          platform: "windows",
          app_version: "2.1.0",
        },
      }),
      200,
    );

    const res = await expectStatus(recover(email), 202);
    expect(res.json).toEqual({ accepted: true });

    const mail = await waitFor(async () => deliveredTo(resend, email)[0], { what: "the recovery email" });
    expect(mail.subject).toBe("Vos clés de licence Maximus / Your Maximus license keys");
    expect(mail.text).toContain(active.key);
    expect(mail.text).toContain(suspended.key);
    expect(mail.text).not.toContain(revoked.key);
    expect(mail.text).toContain(
      `Simpl'Résultat Premium, active, valid until ${active.license.expiresAt.toISOString().slice(0, 10)}`,
    );
    expect(mail.text).toContain("Simpl'Liste Base, suspended (payment dispute open)");
    expect(mail.text).toContain("Bureau de Léa, windows");
    expect(mail.text.indexOf("Bonjour")).toBeLessThan(mail.text.indexOf("Hello"));
    expect(mail.idempotencyKey).toMatch(/^license-recovery\/rcv_[0-9a-z]{20}$/);

    const [row] = await recoveryRows(email);
    expect(row).toMatchObject({ toEmail: email, licenseId: null, idempotencyKey: mail.idempotencyKey });
    await waitFor(async () => (await recoveryRows(email))[0]?.sentAt, { what: "sent_at" });
  });

  it("a license past its expiry is not listed, even before the nightly job has marked it expired", async () => {
    const email = randomEmail();
    const current = await issueTestLicense({ email });
    const lapsed = await issueTestLicense({ email, expiresAt: addDays(new Date(), -1) });
    expect((await recover(email)).status).toBe(202);
    const mail = await waitFor(async () => deliveredTo(resend, email)[0], { what: "the recovery email" });
    expect(mail.text).toContain(current.key);
    expect(mail.text).not.toContain(lapsed.key);
  });

  it("matches the address case-insensitively and trimmed, and writes to the address the buyer used", async () => {
    const stored = `Mixed.Case-${randomSuffix()}@Example.TEST`;
    const lic = await issueTestLicense({ email: stored });
    const res = await recover(`   ${stored.toLowerCase().replace("example.test", "EXAMPLE.test")}  `);
    expect(res.status).toBe(202);
    const mail = await waitFor(async () => deliveredTo(resend, stored)[0], { what: "the recovery email" });
    expect(mail.to).toEqual([stored]);
    expect(mail.text).toContain(lic.key);
  });

  it("an unknown address gets the same answer, and no email and no outbox row", async () => {
    const known = randomEmail();
    await issueTestLicense({ email: known });
    const unknown = randomEmail();
    const [a, b] = [await recover(known), await recover(unknown)];
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(await b.text()).toBe(await a.text());
    const headerNames = (r: typeof a) => [...r.headers.keys()].sort();
    expect(headerNames(b)).toEqual(headerNames(a));

    await waitFor(async () => deliveredTo(resend, known)[0], { what: "the known address's email" });
    // What the consumer does with the unknown address, awaited here rather than guessed by time.
    expect(await recoverAt(unknown, new Date())).toBe("no_licenses");
    expect(await recoveryRows(unknown)).toEqual([]);
    expect(deliveredTo(resend, unknown)).toEqual([]);
  });

  it("at most one email per address per 10 minutes and 5 per day; a redelivered request is sent once", async () => {
    const email = randomEmail();
    const lic = await issueTestLicense({ email });
    expect((await recover(email)).status).toBe(202);
    await waitFor(async () => deliveredTo(resend, email)[0], { what: "the first email" });
    const first = (await recoveryRows(email))[0]!;

    // A second request right away is accepted (202) and sends nothing.
    expect((await recover(email)).status).toBe(202);
    const t0 = first.createdAt;
    const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
    expect(await recoverAt(email, minutes(9))).toBe("limited");
    expect(await recoveryRows(email)).toHaveLength(1);

    // Every 11 minutes: allowed until 5 in 24 hours, then refused until the first leaves the day.
    for (let i = 1; i < RECOVERY_PER_DAY; i++) expect(await recoverAt(email, minutes(11 * i))).toBe("queued");
    expect(await recoverAt(email, minutes(11 * RECOVERY_PER_DAY))).toBe("limited");
    expect(await recoveryRows(email)).toHaveLength(RECOVERY_PER_DAY);
    expect(await recoverAt(email, addDays(t0, 1.01))).toBe("queued");
    expect(await recoveryRows(email)).toHaveLength(RECOVERY_PER_DAY + 1);

    // The queue delivers a request twice: the same row, one email.
    const again = newId("rcv");
    const later = addDays(t0, 2);
    expect(await recoverAt(email, later, again)).toBe("queued");
    expect(["queued", "already_sent"]).toContain(await recoverAt(email, later, again));
    await waitFor(
      async () => deliveredTo(resend, email).find((m) => m.idempotencyKey === `license-recovery/${again}`),
      { what: "the redelivered request's email" },
    );
    expect((await recoveryRows(email)).filter((r) => r.idempotencyKey === `license-recovery/${again}`)).toHaveLength(1);
    expect(deliveredTo(resend, email).filter((m) => m.idempotencyKey === `license-recovery/${again}`)).toHaveLength(1);
    expect(deliveredTo(resend, email).every((m) => m.text.includes(lic.key))).toBe(true);
  });

  it("a missing or malformed address is 422 validation_failed", async () => {
    // No email: a body the typed client will not build.
    expect(expectProblem(await call("POST", "/licenses/recover", { body: {} }), 422, "validation_failed").ok).toBe(
      true,
    );
    expect(expectProblem(await problemOf(recover("not-an-address")), 422, "validation_failed").ok).toBe(true);
    expect(
      expectProblem(await problemOf(recover(`${"a".repeat(250)}@example.test`)), 422, "validation_failed").ok,
    ).toBe(true);
  });

  it("is limited per client IP like the other unauthenticated endpoints (120 a minute)", async () => {
    const ip = `203.0.113.9-${crypto.randomUUID()}`;
    const address = randomEmail();
    const results = await Promise.all(Array.from({ length: 123 }, () => recover(address, { "CF-Connecting-IP": ip })));
    const counts: Record<number, number> = {};
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    expect(counts).toEqual({ 202: 120, 429: 3 });
    expect(expectProblem(await problemOf(results.find((r) => r.status === 429)!), 429, "rate_limited").ok).toBe(true);
  });
});
