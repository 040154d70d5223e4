import { createLocalJWKSet } from "jose";
import { describe, expect, it } from "vitest";
import { verifyLicenseKeyOffline } from "../../src/lib/licensing/verify-offline";
import { TEST_INTERNAL_KEYS, TEST_LICENSE_ISSUER } from "../bindings";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem, type ProblemBody } from "../support/http";
import { randomEmail } from "../support/factories";
import { licenseRow, outboxOf, tokensOf } from "../support/licenses";
import { deliveredTo, useResend } from "../support/fakes/resend";
import { waitFor } from "../support/wait";

const auth = { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}` };
type GenerateBody = Parameters<typeof api.licenses.generate.$post>[0]["json"];
const generate = (json: GenerateBody, headers: Record<string, string> = auth) =>
  api.licenses.generate.$post({ json }, { headers });

describe("POST /licenses/generate", () => {
  it("201 with the license and its key; rows in licenses and license_tokens; no email unless asked", async () => {
    const email = randomEmail();
    const res = await expectStatus(
      generate({ email, product: "simpl-resultat", tier: "premium", expires_at: "2031-06-30T12:00:00Z" }),
      201,
    );
    expect(res.json).toEqual({
      id: expect.stringMatching(/^lic_[0-9a-z]{20}$/),
      key: expect.stringMatching(/^SR-PREMIUM-/),
      product: "simpl-resultat",
      tier: "premium",
      status: "active",
      email,
      issued_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      expires_at: "2031-06-30T12:00:00Z",
    });
    const { id, key } = res.json;
    expect(await licenseRow(id)).toMatchObject({
      email,
      product: "simpl-resultat",
      tier: "premium",
      status: "active",
      expiresAt: new Date("2031-06-30T12:00:00Z"),
    });
    expect(await tokensOf(id)).toEqual([
      expect.objectContaining({
        key,
        tier: "premium",
        kid: "test-current",
        expiresAt: new Date("2031-06-30T12:00:00Z"),
      }),
    ]);
    expect(await outboxOf(id)).toHaveLength(0);

    const jwks = createLocalJWKSet((await expectStatus(api[".well-known"]["jwks.json"].$get(), 200)).json);
    const check = await verifyLicenseKeyOffline(key, jwks, { issuer: TEST_LICENSE_ISSUER, product: "simpl-resultat" });
    expect(check).toMatchObject({
      status: "valid",
      claims: { sub: id, tier: "premium", exp: Date.parse("2031-06-30T12:00:00Z") / 1000 },
    });
    expect(check.status === "valid" && check.claims).not.toHaveProperty("email");
  });

  it("duration_days counts from now; send_email sends one bilingual email carrying the key", async () => {
    const resend = useResend();
    const email = randomEmail();
    const res = await expectStatus(
      generate({ email, product: "simpl-liste", tier: "base", duration_days: 30, send_email: true }),
      201,
    );
    const days = (Date.parse(res.json.expires_at) - Date.parse(res.json.issued_at)) / 86_400_000;
    expect(days).toBeCloseTo(30, 3);

    const delivered = await waitFor(async () => deliveredTo(resend, email)[0], { what: "the license email" });
    expect(delivered.idempotencyKey).toBe(`license-issued/${res.json.id}`);
    expect(delivered.text).toContain(res.json.key);
    const [mail, ...others] = await waitFor(
      async () => {
        const rows = await outboxOf(res.json.id);
        return rows[0]?.sentAt ? rows : null;
      },
      { what: "email_sent_at" },
    );
    expect(others).toHaveLength(0);
    expect(mail).toMatchObject({ idempotencyKey: `license-issued/${res.json.id}`, toEmail: email });
    expect(mail!.subject).toContain("Simpl'Liste");
    expect(mail!.textBody).toContain(res.json.key);
    expect(mail!.textBody.indexOf("Bonjour")).toBeLessThan(mail!.textBody.indexOf("Hello"));
  });

  it("exactly one of expires_at and duration_days, a future expiry, known product and tier: else 422", async () => {
    const email = randomEmail();
    const typed: GenerateBody[] = [
      { email, product: "simpl-resultat", tier: "base" },
      { email, product: "simpl-resultat", tier: "base", expires_at: "2031-01-01T00:00:00Z", duration_days: 3 },
      { email, product: "simpl-resultat", tier: "base", expires_at: "2020-01-01T00:00:00Z" },
      { email, product: "simpl-resultat", tier: "base", expires_at: "tomorrow" },
      { email, product: "simpl-resultat", tier: "base", duration_days: 0 },
      { email, product: "simpl-resultat", tier: "base", duration_days: 1.5 },
      { email: "not-an-email", product: "simpl-resultat", tier: "base", duration_days: 3 },
    ];
    // An unknown product or tier: bodies the typed client will not build, sent raw.
    const raw = [
      { email, product: "other-app", tier: "base", duration_days: 3 },
      { email, product: "simpl-resultat", tier: "gold", duration_days: 3 },
    ];
    const refusals: [unknown, { status: number; headers: Headers; json?: ProblemBody | null }][] = [];
    for (const body of typed) refusals.push([body, await problemOf(generate(body))]);
    for (const body of raw) refusals.push([body, await call("POST", "/licenses/generate", { body, headers: auth })]);
    for (const [body, res] of refusals) {
      expect(expectProblem(res, 422, "validation_failed").ok, JSON.stringify(body)).toBe(true);
      expect(res.json?.errors).toEqual(
        expect.arrayContaining([{ path: expect.any(String), message: expect.any(String) }]),
      );
    }
  });

  it("needs the internal key", async () => {
    const res = await problemOf(
      generate({ email: randomEmail(), product: "simpl-resultat", tier: "base", duration_days: 3 }, {}),
    );
    expect(expectProblem(res, 401, "unauthorized").ok).toBe(true);
  });
});
