// The service functions the Stripe pipeline calls, against the real database.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { licenses } from "../../src/db/schema";
import { addDays } from "../../src/lib/clock";
import { issueLicense } from "../../src/services/licenses/issue-license";
import { mintLicenseToken, newestLicenseKey } from "../../src/services/licenses/mint-license-token";
import { testDb } from "../support/db";
import { issueTestLicense, randomEmail, serviceCtx } from "../support/factories";
import { decodeClaims, jwtOf, outboxOf, tokensOf } from "../support/licenses";

const checkoutInput = () => ({
  email: randomEmail(),
  product: "simpl-resultat" as const,
  tier: "premium" as const,
  expiresAt: new Date("2031-03-01T10:20:30.456Z"),
  checkoutSessionId: `cs_test_${crypto.randomUUID()}`,
  sendEmail: true,
});

/** A license just issued, and the 30-day renewal that mintLicenseToken is asked to sign for it. */
async function licenseDueForRenewal() {
  const { id, license } = await issueTestLicense();
  const renewal = {
    ...license,
    product: "simpl-resultat" as const,
    tier: "base" as const,
    expiresAt: addDays(license.expiresAt, 30),
  };
  return { id, renewal };
}

describe("license services", () => {
  it("issueLicense is idempotent on checkoutSessionId: one license, one token, one email", async () => {
    const input = checkoutInput();
    const first = await issueLicense(serviceCtx(), input);
    const again = await issueLicense(serviceCtx(), input);

    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.license).toEqual(first.license);
    expect(again.token).toEqual(first.token);
    // Whole seconds, like the JWT's exp.
    expect(first.license.expiresAt).toEqual(new Date("2031-03-01T10:20:30Z"));
    expect(await tokensOf(first.license.id)).toHaveLength(1);
    expect(await outboxOf(first.license.id)).toHaveLength(1);
    expect(
      await testDb().select().from(licenses).where(eq(licenses.checkoutSessionId, input.checkoutSessionId)),
    ).toHaveLength(1);
  });

  it("issueLicense under concurrent redelivery still makes one license", async () => {
    const input = checkoutInput();
    const results = await Promise.all(Array.from({ length: 8 }, () => issueLicense(serviceCtx(), input)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.license.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.token.key)).size).toBe(1);
    const rows = await testDb().select().from(licenses).where(eq(licenses.checkoutSessionId, input.checkoutSessionId));
    expect(rows).toHaveLength(1);
    expect(await outboxOf(rows[0]!.id)).toHaveLength(1);
  });

  it("the key carries max_machines and no personal data: no email claim (keys end up pasted in support threads)", async () => {
    const email = randomEmail();
    const { token, license } = await issueLicense(serviceCtx(), {
      email,
      product: "simpl-liste",
      tier: "base",
      expiresAt: addDays(new Date(), 30),
      maxMachines: 5,
    });
    const claims = decodeClaims(jwtOf(token.key));
    expect(claims).not.toHaveProperty("email");
    expect(JSON.stringify(claims)).not.toContain(email);
    expect(claims).toMatchObject({
      max_machines: 5,
      sub: license.id,
      aud: "simpl-liste",
      jti: token.jti,
    });
    expect(license.maxMachines).toBe(5);
  });

  it("mintLicenseToken: one token per (license, tier, expiry), returned again on redelivery", async () => {
    const { id, renewal } = await licenseDueForRenewal();
    const minted = await mintLicenseToken(serviceCtx(), renewal);
    const again = await mintLicenseToken(serviceCtx(), renewal);

    expect(again).toEqual(minted);
    expect(minted).toMatchObject({ kid: "test-current", tier: "base", expiresAt: renewal.expiresAt });
    expect(decodeClaims(jwtOf(minted.key))).toMatchObject({
      sub: id,
      jti: minted.jti,
      exp: renewal.expiresAt.getTime() / 1000,
    });
    expect(await tokensOf(id)).toHaveLength(2);
    expect(await newestLicenseKey(serviceCtx(), id)).toBe(minted.key);
  });

  it("concurrent mints of the same renewal store one token and all return it", async () => {
    const { id, renewal } = await licenseDueForRenewal();
    const results = await Promise.all(Array.from({ length: 8 }, () => mintLicenseToken(serviceCtx(), renewal)));
    expect(new Set(results.map((r) => r.jti)).size).toBe(1);
    expect(await tokensOf(id)).toHaveLength(2);
  });

  it("newestLicenseKey follows the license's tier: base → premium → base again gives the base key", async () => {
    const { id, key: baseKey, license } = await issueTestLicense({ tier: "base" });
    const setTier = (tier: "base" | "premium") => testDb().update(licenses).set({ tier }).where(eq(licenses.id, id));
    const mint = (tier: "base" | "premium") =>
      mintLicenseToken(serviceCtx(), { ...license, product: "simpl-resultat", tier });

    await setTier("premium");
    const premium = await mint("premium");
    expect(await newestLicenseKey(serviceCtx(), id)).toBe(premium.key);
    expect(premium.key.startsWith("SR-PREMIUM-")).toBe(true);

    await setTier("base");
    expect((await mint("base")).key).toBe(baseKey);
    expect(await newestLicenseKey(serviceCtx(), id)).toBe(baseKey);
    expect(await newestLicenseKey(serviceCtx(), "lic_none")).toBeNull();
  });
});
