import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { verifyLicenseKeyOffline } from "../../src/lib/licensing/verify-offline";
import { TEST_LICENSE_ISSUER } from "../bindings";
import { api } from "../support/api";
import { issueTestLicense, randomMachineId } from "../support/factories";
import {
  activationsOf,
  currentSigningKey,
  decodeClaims,
  jwtOf,
  licenseClaims,
  retiredSigningKey,
  signKey,
  tokensOf,
} from "../support/licenses";

const jwksDocument = () => api[".well-known"]["jwks.json"].$get();
async function servedJwks(): Promise<JSONWebKeySet> {
  const res = await jwksDocument();
  if (res.status !== 200) throw new Error(`jwks.json answered ${res.status}`);
  return res.json();
}

describe("GET /.well-known/jwks.json", () => {
  it("lists the public part of every configured key, signing key first, cacheable", async () => {
    const res = await jwksDocument();
    if (res.status !== 200) throw new Error(`jwks.json answered ${res.status}`);
    expect(res.headers.get("cache-control")).toBe("public, max-age=300");
    const text = await res.clone().text();
    expect((await res.json()).keys).toEqual([
      { kty: "OKP", crv: "Ed25519", x: currentSigningKey().x, kid: "test-current", alg: "EdDSA", use: "sig" },
      { kty: "OKP", crv: "Ed25519", x: retiredSigningKey().x, kid: "test-retired", alg: "EdDSA", use: "sig" },
    ]);
    // Never a private part.
    expect(text).not.toContain('"d"');
    expect(text).not.toContain(currentSigningKey().d);
    expect(text).not.toContain(retiredSigningKey().d);
  });

  it("verifies an issued key (jose over the served document, and the copyable offline verifier)", async () => {
    const { id, key } = await issueTestLicense({ product: "simpl-liste", tier: "premium" });
    const jwks = createLocalJWKSet(await servedJwks());
    const { payload, protectedHeader } = await jwtVerify(jwtOf(key), jwks, {
      algorithms: ["EdDSA"],
      issuer: TEST_LICENSE_ISSUER,
      audience: "simpl-liste",
    });
    expect(protectedHeader).toEqual({ alg: "EdDSA", typ: "JWT", kid: "test-current" });
    expect(payload).toMatchObject({ sub: id, aud: "simpl-liste", tier: "premium", iss: TEST_LICENSE_ISSUER });
    expect(key.startsWith("SL-PREMIUM-")).toBe(true);

    const offline = await verifyLicenseKeyOffline(key, jwks, { issuer: TEST_LICENSE_ISSUER, product: "simpl-liste" });
    expect(offline).toMatchObject({ status: "valid", claims: { sub: id, tier: "premium" } });
    const [row] = await tokensOf(id);
    expect(row).toMatchObject({ key, kid: "test-current", jti: payload.jti, tier: "premium" });
  });

  it("rotation: a key signed by the retired key still verifies and activates; new keys use the first kid", async () => {
    const { id } = await issueTestLicense();
    const oldKey = await signKey(retiredSigningKey(), licenseClaims(id));
    expect(
      (await verifyLicenseKeyOffline(oldKey, createLocalJWKSet(await servedJwks()), { issuer: TEST_LICENSE_ISSUER }))
        .status,
    ).toBe("valid");

    const res = await api.licenses.activate.$post({ header: {}, json: { key: oldKey, machine_id: randomMachineId() } });
    if (res.status !== 200) throw new Error(`activate answered ${res.status}`);
    const body = await res.json();
    expect(await activationsOf(id)).toHaveLength(1);
    // The app is handed the license's newest key, signed by the current key.
    const [stored] = await tokensOf(id);
    expect(body.key).toBe(stored!.key);
    expect(decodeProtectedHeader(jwtOf(body.key)).kid).toBe("test-current");
    expect(decodeClaims(body.lease)).toMatchObject({ sub: id });
  });
});
