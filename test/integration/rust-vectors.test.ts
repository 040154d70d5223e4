import { describe, expect, it } from "vitest";
import committed from "../../clients/rust/tests/vectors.json";
import { base64url, calculateJwkThumbprint } from "jose";
import { verifyDpopProof } from "../../src/lib/licensing/dpop-proof";
import { loadKeyring } from "../../src/lib/licensing/keyring";
import { verifyLeaseOffline, verifyLicenseKeyOffline } from "../../src/lib/licensing/verify-offline";
import { buildVectors, serializeVectors, VECTORS_SIGNING_KEYS, type Expectation } from "../../tools/rust/vectors";

// The Rust crate's tests verify clients/rust/tests/vectors.json; these keep that file honest.
const statusOf = (expect: Expectation) => (expect === "valid" || expect === "expired" ? expect : "invalid");

describe("clients/rust/tests/vectors.json", () => {
  it("is what the service's signing code produces now (else run `npm run vectors:rust`)", async () => {
    const fresh = await buildVectors();
    expect(JSON.parse(serializeVectors(fresh))).toEqual(committed);
  });

  it("gets the same verdict from the service's own verifier, for keys and leases", async () => {
    const { verifyKey } = await loadKeyring(VECTORS_SIGNING_KEYS);
    const options = {
      issuer: committed.issuer,
      currentDate: new Date(committed.now * 1000),
      clockToleranceSec: committed.leeway,
    };
    expect(committed.keys.length).toBeGreaterThan(15);
    for (const v of committed.keys) {
      const check = await verifyLicenseKeyOffline(v.key, verifyKey, {
        ...options,
        product: v.product as "simpl-resultat",
      });
      expect({ name: v.name, status: check.status }).toEqual({
        name: v.name,
        status: statusOf(v.expect as Expectation),
      });
    }
    for (const v of committed.leases) {
      const check = await verifyLeaseOffline(v.lease, verifyKey, {
        ...options,
        product: v.product as "simpl-resultat",
        machineId: v.machine_id,
        licenseId: v.license_id,
      });
      expect({ name: v.name, status: check.status }).toEqual({
        name: v.name,
        status: statusOf(v.expect as Expectation),
      });
    }
  });

  it("proofs get the service's verdict, thumbprints are RFC 7638's, bound leases name their key", async () => {
    const reasons: Record<string, string> = {
      signature: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
      private_key: "ERR_JWS_INVALID",
      typ: "ERR_JWT_CLAIM_VALIDATION_FAILED",
    };
    for (const v of committed.proofs) {
      const target = new URL(v.url);
      const check = await verifyDpopProof(v.proof, {
        method: v.method,
        path: target.pathname,
        origins: [target.origin],
        now: new Date(committed.now * 1000),
        maxAgeSec: committed.proof_max_age,
      });
      const got = check.status === "valid" ? "valid" : check.reason;
      expect({ name: v.name, got }).toEqual({ name: v.name, got: reasons[v.expect] ?? v.expect });
      if (check.status === "valid") expect(check.proof.jkt).toBe(v.jkt);
    }
    for (const t of committed.thumbprints) expect(await calculateJwkThumbprint(t.jwk, "sha256")).toBe(t.jkt);
    expect(committed.thumbprints[0]!.jkt).toBe("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"); // RFC 8037 A.3
    for (const v of committed.bound_leases) {
      const payload = JSON.parse(new TextDecoder().decode(base64url.decode(v.lease.split(".")[1]!)));
      expect({ name: v.name, got: payload.cnf?.jkt === v.install_jkt ? "valid" : "jkt" }).toEqual({
        name: v.name,
        got: v.expect,
      });
    }
  });
});
