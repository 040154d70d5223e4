import { describe, expect, it } from "vitest";
import committed from "../../clients/rust/tests/vectors.json";
import { loadKeyring } from "../../src/lib/licensing/keyring";
import { verifyLeaseOffline, verifyLicenseKeyOffline } from "../../src/lib/licensing/verify-offline";
import { buildVectors, serializeVectors, VECTORS_SIGNING_KEYS, type Expectation } from "../support/rust-vectors";

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
});
