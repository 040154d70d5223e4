import { createLocalJWKSet } from "jose";
import { describe, expect, it } from "vitest";
import { PRODUCTS } from "../../domain/products";
import { addDays } from "../clock";
import { loadKeyring } from "./keyring";
import { signLease, signLicenseKey } from "./license-token";
import { PRODUCT_PREFIXES, parseLicenseKey, verifyLeaseOffline, verifyLicenseKeyOffline } from "./verify-offline";

async function testKeyring() {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  return loadKeyring(JSON.stringify([{ ...jwk, kid: `unit-${crypto.randomUUID()}` }]));
}

const issuer = "https://issuer.test";
const now = new Date("2027-01-10T00:00:00Z");

describe("verify-offline (the desktop apps' copy)", () => {
  it("knows the same products and prefixes as the service", () => {
    expect(PRODUCT_PREFIXES).toEqual(Object.fromEntries(Object.entries(PRODUCTS).map(([id, p]) => [id, p.prefix])));
  });

  it("parses only well-formed keys", () => {
    expect(parseLicenseKey("SL-PREMIUM-a.b.c")).toEqual({ product: "simpl-liste", tier: "premium", jwt: "a.b.c" });
    for (const bad of ["SL-PREMIUM-a.b", "SL-premium-a.b.c", "XX-BASE-a.b.c", "SR-BASE-a.b.c.d", " SR-BASE-a.b.c"]) {
      expect(parseLicenseKey(bad)).toBeNull();
    }
  });

  it("a license key: valid, then expired past exp (tolerance applies), and never a lease", async () => {
    const keyring = await testKeyring();
    const jwks = createLocalJWKSet({ keys: keyring.publicJwks });
    const { key } = await signLicenseKey(keyring, {
      issuer,
      licenseId: "lic_1",
      product: "simpl-resultat",
      tier: "base",
      jti: "jti_1",
      issuedAt: now,
      expiresAt: addDays(now, 30),
    });
    const at = (d: Date, clockToleranceSec?: number) =>
      verifyLicenseKeyOffline(key, jwks, { issuer, currentDate: d, clockToleranceSec });
    expect((await at(now)).status).toBe("valid");
    expect((await at(addDays(now, 31))).status).toBe("expired");
    expect((await at(new Date(addDays(now, 30).getTime() + 30_000), 60)).status).toBe("valid");
    expect(
      (await verifyLicenseKeyOffline(key, jwks, { issuer, currentDate: now, product: "simpl-liste" })).status,
    ).toBe("invalid");
    expect((await verifyLicenseKeyOffline(key, jwks, { issuer: "https://other.test", currentDate: now })).status).toBe(
      "invalid",
    );
    const asLease = await verifyLeaseOffline(key.slice("SR-BASE-".length), jwks, {
      issuer,
      currentDate: now,
      product: "simpl-resultat",
      machineId: "m",
    });
    expect(asLease.status).toBe("invalid");
  });

  it("a lease: bound to its machine, product and license, and never a license key", async () => {
    const keyring = await testKeyring();
    const jwks = createLocalJWKSet({ keys: keyring.publicJwks });
    const lease = await signLease(keyring, {
      issuer,
      licenseId: "lic_1",
      product: "simpl-resultat",
      tier: "premium",
      machineId: "machine-a",
      issuedAt: now,
      expiresAt: addDays(now, 7),
    });
    const check = (
      o: Partial<{
        product: "simpl-resultat" | "simpl-liste";
        machineId: string;
        licenseId: string;
        currentDate: Date;
      }>,
    ) =>
      verifyLeaseOffline(lease, jwks, {
        issuer,
        currentDate: now,
        product: "simpl-resultat",
        machineId: "machine-a",
        licenseId: "lic_1",
        ...o,
      });
    expect(await check({})).toMatchObject({
      status: "valid",
      claims: { machine: "machine-a", tier: "premium", sub: "lic_1" },
    });
    expect((await check({ machineId: "machine-b" })).status).toBe("invalid");
    expect((await check({ product: "simpl-liste" })).status).toBe("invalid");
    expect((await check({ licenseId: "lic_2" })).status).toBe("invalid");
    expect((await check({ currentDate: addDays(now, 8) })).status).toBe("expired");
    expect((await verifyLicenseKeyOffline(`SR-PREMIUM-${lease}`, jwks, { issuer, currentDate: now })).status).toBe(
      "invalid",
    );
  });

  it("rejects a keyring that is not a JSON array of private Ed25519 JWKs with distinct kids", async () => {
    const dup = '{"kty":"OKP","crv":"Ed25519","x":"a","d":"b","kid":"same"}';
    for (const bad of [
      "",
      "{}",
      "[]",
      `[${dup},${dup}]`,
      '[{"kty":"OKP","crv":"Ed25519","x":"a","kid":"k"}]',
      '[{"kty":"EC","crv":"P-256","x":"a","d":"b","kid":"k"}]',
    ]) {
      await expect(loadKeyring(bad)).rejects.toMatchObject({ name: "ConfigError" });
    }
  });
});
