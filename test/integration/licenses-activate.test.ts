import { createLocalJWKSet, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { verifyLeaseOffline } from "../../src/lib/licensing/verify-offline";
import { addDays, toSec } from "../../src/lib/clock";
import { TEST_LICENSE_ISSUER } from "../bindings";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";
import { issueTestLicense, randomMachineId } from "../support/factories";
import {
  activationsOf,
  currentSigningKey,
  decodeClaims,
  generateStrangerKey,
  licenseClaims,
  signHs256WithPublicKey,
  signKey,
  tamperKey,
  tokensOf,
  unsignedKey,
} from "../support/licenses";

type MachineFields = { machine_name?: string; platform?: string; app_version?: string };
const activate = (key: string, machineId = randomMachineId(), extra: MachineFields = {}) =>
  api.licenses.activate.$post({ header: {}, json: { key, machine_id: machineId, ...extra } });

/** A refused key: the uniform 401, no trace of the key in the body, and no seat taken. */
async function expectInvalid(key: string, licenseId: string) {
  const refused = await problemOf(activate(key));
  expect(expectProblem(refused, 401, "invalid_license").ok, refused.text).toBe(true);
  if (key.length > 40) expect(refused.text).not.toContain(key.slice(8, 40)); // K3: bodies never echo the key
  expect(await activationsOf(licenseId)).toHaveLength(0);
}

/** An answer's status, and a refusal's problem code. */
async function outcome(answer: Parameters<typeof problemOf>[0]) {
  const res = await answer;
  return { status: res.status, code: res.status === 200 ? undefined : (await problemOf(res)).json.code };
}

describe("POST /licenses/activate", () => {
  it("activates a machine: license, activation, a lease bound to the machine, the newest key; one row", async () => {
    const { id, key, license } = await issueTestLicense({ tier: "premium" });
    const machineId = randomMachineId();
    const res = await expectStatus(
      activate(key, machineId, { machine_name: "Bureau", platform: "windows", app_version: "2.4.1" }),
      200,
    );
    expect(res.json).toEqual({
      license: {
        id,
        product: "simpl-resultat",
        tier: "premium",
        status: "active",
        expires_at: license.expiresAt.toISOString().replace(".000Z", "Z"),
      },
      activation: { machine_id: machineId, activated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) },
      lease: expect.any(String),
      key,
    });
    const jwks = createLocalJWKSet((await expectStatus(api[".well-known"]["jwks.json"].$get(), 200)).json);
    const lease = await verifyLeaseOffline(res.json.lease, jwks, {
      issuer: TEST_LICENSE_ISSUER,
      product: "simpl-resultat",
      machineId,
      licenseId: id,
    });
    expect(lease.status).toBe("valid");
    expect(decodeProtectedHeader(res.json.lease)).toMatchObject({
      alg: "EdDSA",
      typ: "lease+jwt",
      kid: "test-current",
    });
    const claims = decodeClaims(res.json.lease);
    expect(claims.exp - claims.iat).toBe(7 * 86_400); // OFFLINE_GRACE_DAYS

    const rows = await activationsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ machineId, machineName: "Bureau", platform: "windows", appVersion: "2.4.1" });
  });

  it("caps the lease at the license's expiry", async () => {
    const expiresAt = addDays(new Date(), 2);
    const { key } = await issueTestLicense({ expiresAt });
    const res = await expectStatus(activate(key), 200);
    expect(decodeClaims(res.json.lease).exp).toBe(toSec(expiresAt));
  });

  it("L5: the same machine again is 200, keeps its seat and activation time, refreshes last_seen_at", async () => {
    const { id, key } = await issueTestLicense();
    const machineId = randomMachineId();
    const first = await expectStatus(activate(key, machineId, { machine_name: "Portable" }), 200);
    const [before] = await activationsOf(id);
    await new Promise((r) => setTimeout(r, 20));
    const again = await expectStatus(activate(key, machineId), 200);

    expect(again.json.activation).toEqual(first.json.activation);
    const rows = await activationsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.activatedAt).toEqual(before!.activatedAt);
    expect(rows[0]!.lastSeenAt.getTime()).toBeGreaterThan(before!.lastSeenAt.getTime());
    expect(rows[0]!.machineName).toBe("Portable"); // an absent name does not erase the known one
  });

  it("enforces ACTIVATION_LIMIT (3): the 4th machine is 409, an activated machine still re-activates", async () => {
    const { id, key } = await issueTestLicense();
    const machines = [randomMachineId(), randomMachineId(), randomMachineId()];
    for (const m of machines) expect((await activate(key, m)).status).toBe(200);

    const fourth = await problemOf(activate(key));
    expect(expectProblem(fourth, 409, "activation_limit_reached").ok).toBe(true);
    expect(await activationsOf(id)).toHaveLength(3);
    expect((await activate(key, machines[1])).status).toBe(200);
    expect(await activationsOf(id)).toHaveLength(3);
  });

  it("a license's own max_machines overrides the default limit", async () => {
    const { id, key } = await issueTestLicense({ maxMachines: 1 });
    expect((await activate(key)).status).toBe(200);
    expect((await activate(key)).status).toBe(409);
    expect(await activationsOf(id)).toHaveLength(1);
  });

  it("L4: 20 concurrent activations of one key with limit 3 give exactly 3 successes", async () => {
    const { id, key } = await issueTestLicense();
    const results = await Promise.all(Array.from({ length: 20 }, () => activate(key)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(17);
    const seated: string[] = [];
    for (const r of results) {
      if (r.status === 200) seated.push((await r.json()).activation.machine_id);
      else if (r.status === 409) expect((await problemOf(r)).json.code).toBe("activation_limit_reached");
    }
    const rows = await activationsOf(id);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.machineId))).toEqual(new Set(seated));
  });

  it("20 concurrent activations of the same machine give 20 successes and one seat", async () => {
    const { id, key } = await issueTestLicense();
    const machineId = randomMachineId();
    const results = await Promise.all(Array.from({ length: 20 }, () => activate(key, machineId)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await activationsOf(id)).toHaveLength(1);
  });

  it("re-activations of seated machines, new machines and deactivations all at once: never over the limit, never a 500", async () => {
    const { id, key } = await issueTestLicense();
    const [a, b] = [randomMachineId(), randomMachineId()];
    expect((await activate(key, a)).status).toBe(200);
    expect((await activate(key, b)).status).toBe(200);
    const deactivate = (machineId: string) =>
      api.licenses.deactivate.$post({ header: {}, json: { key, machine_id: machineId } });
    const newcomers = Array.from({ length: 6 }, () => randomMachineId());
    const results = await Promise.all(
      [
        ...Array.from({ length: 8 }, () => activate(key, a)),
        ...Array.from({ length: 8 }, () => activate(key, b)),
        ...newcomers.map((m) => activate(key, m)),
        deactivate(a),
        deactivate(a),
      ].map(outcome),
    );
    expect(
      results.filter((r) => r.status >= 500),
      JSON.stringify(results.map((r) => r.status)),
    ).toEqual([]);
    expect(results.every((r) => r.status === 200 || (r.status === 409 && r.code === "activation_limit_reached"))).toBe(
      true,
    );
    const seats = await activationsOf(id);
    expect(seats.length).toBeLessThanOrEqual(3);
    // Every newcomer that got a 200 holds a seat now (none was freed again in this test).
    const admitted = newcomers.filter((_, i) => results[16 + i]!.status === 200);
    expect(admitted.every((m) => seats.some((s) => s.machineId === m))).toBe(true);
  });

  it("re-activating a seated machine of a license revoked since is refused, and its seat is not refreshed", async () => {
    const { id, key } = await issueTestLicense();
    const machine = randomMachineId();
    expect((await activate(key, machine)).status).toBe(200);
    const [before] = await activationsOf(id);
    const { testDb } = await import("../support/db");
    const { licenses } = await import("../../src/db/schema");
    const { eq } = await import("drizzle-orm");
    await testDb().update(licenses).set({ status: "revoked" }).where(eq(licenses.id, id));
    const res = await problemOf(activate(key, machine));
    expect(expectProblem(res, 403, "license_revoked").ok, JSON.stringify(res.json)).toBe(true);
    expect((await activationsOf(id))[0]!.lastSeenAt).toEqual(before!.lastSeenAt);
  });

  it("hands back the newest key when activated with an older, expired one of a renewed license", async () => {
    const { id, key: newest } = await issueTestLicense();
    const past = new Date(Date.now() - 86_400_000);
    const old = await signKey(
      currentSigningKey(),
      licenseClaims(id, { iat: toSec(past) - 30 * 86_400, exp: toSec(past) }),
    );
    const res = await expectStatus(activate(old), 200);
    expect(res.json.key).toBe(newest);
  });

  describe("L1: forged keys are 401 invalid_license", () => {
    it("tampered payload (the signature kept)", async () => {
      const { id, key } = await issueTestLicense();
      await expectInvalid(tamperKey(key, { exp: toSec(addDays(new Date(), 3650)) }), id);
      const other = await issueTestLicense();
      await expectInvalid(tamperKey(other.key, { sub: id }), id);
    });

    it("a stranger's signature, also under our kid", async () => {
      const { id } = await issueTestLicense();
      await expectInvalid(await signKey(await generateStrangerKey("test-current"), licenseClaims(id)), id);
      await expectInvalid(await signKey(await generateStrangerKey("stranger"), licenseClaims(id)), id);
    });

    it("alg swapped to HS256 (public key as the secret) or none", async () => {
      const { id } = await issueTestLicense();
      await expectInvalid(await signHs256WithPublicKey(currentSigningKey(), licenseClaims(id)), id);
      await expectInvalid(unsignedKey(licenseClaims(id), "test-current"), id);
      await expectInvalid(`${unsignedKey(licenseClaims(id), "test-current")}c2lnbmF0dXJl`, id); // none, with a "signature"
    });

    it("missing exp, iat, jti, tier or sub; wrong issuer; wrong typ (a lease as a key)", async () => {
      const { id } = await issueTestLicense();
      const k = currentSigningKey();
      for (const claim of ["exp", "iat", "jti", "tier", "sub"]) {
        await expectInvalid(await signKey(k, licenseClaims(id, { [claim]: undefined })), id);
      }
      await expectInvalid(await signKey(k, licenseClaims(id, { iss: "https://evil.test" })), id);
      await expectInvalid(await signKey(k, licenseClaims(id, { machine: "m" }), { typ: "lease+jwt" }), id);
    });

    it("garbage of every shape is 401, never 500", async () => {
      const { id } = await issueTestLicense();
      for (const junk of [
        "x",
        "SR-BASE-",
        "SR-BASE-a.b.c",
        `SR-BASE-${"A".repeat(3000)}`,
        "sr-base-abc.def.ghi",
        "SX-BASE-a.b.c",
        "SR-GOLD-a.b.c",
        "💥",
      ]) {
        await expectInvalid(junk, id);
      }
    });
  });

  describe("L2: prefix must match the claims", () => {
    it("an SR- key whose token is for simpl-liste", async () => {
      const { id } = await issueTestLicense({ product: "simpl-liste" });
      await expectInvalid(
        await signKey(currentSigningKey(), licenseClaims(id, { aud: "simpl-liste" }), { prefix: "SR-BASE" }),
        id,
      );
    });

    it("an SR-PREMIUM- prefix on a base token", async () => {
      const { id, key } = await issueTestLicense({ tier: "base" });
      await expectInvalid(key.replace(/^SR-BASE-/, "SR-PREMIUM-"), id);
      await expectInvalid(key.replace(/^SR-BASE-/, "SL-BASE-"), id);
    });
  });

  describe("L3: the license row decides", () => {
    it("expired → 403 license_expired", async () => {
      const { id, key } = await issueTestLicense({ expiresAt: new Date(Date.now() - 60_000) });
      const res = await problemOf(activate(key));
      expect(expectProblem(res, 403, "license_expired").ok).toBe(true);
      expect(await activationsOf(id)).toHaveLength(0);
    });

    it("status expired → license_expired even before expires_at", async () => {
      const { id, key } = await issueTestLicense({ status: "expired" });
      expect(expectProblem(await problemOf(activate(key)), 403, "license_expired").ok).toBe(true);
      expect(await activationsOf(id)).toHaveLength(0);
    });

    it("revoked → 403 license_revoked, although the token itself verifies", async () => {
      const { id, key } = await issueTestLicense({ status: "revoked" });
      const res = await problemOf(activate(key));
      expect(expectProblem(res, 403, "license_revoked").ok).toBe(true);
      expect(await activationsOf(id)).toHaveLength(0);
    });

    it("suspended → 403 license_suspended; revoked wins over expired", async () => {
      const suspended = await issueTestLicense({ status: "suspended" });
      expect(expectProblem(await problemOf(activate(suspended.key)), 403, "license_suspended").ok).toBe(true);
      const both = await issueTestLicense({ status: "revoked", expiresAt: new Date(Date.now() - 60_000) });
      expect(expectProblem(await problemOf(activate(both.key)), 403, "license_revoked").ok).toBe(true);
    });

    it("a genuine token of a license that does not exist → 401 invalid_license", async () => {
      const ghost = `lic_ghost_${crypto.randomUUID()}`;
      await expectInvalid(await signKey(currentSigningKey(), licenseClaims(ghost)), ghost);
    });
  });

  describe("request validation", () => {
    it("machine_id must be 16–128 characters; key is required", async () => {
      const { id, key } = await issueTestLicense();
      const refused = [
        await problemOf(activate(key, "x".repeat(15))),
        await problemOf(activate(key, "x".repeat(129))),
        // A missing key or machine_id, a key that is not a string: bodies the typed client will not build.
        await call("POST", "/licenses/activate", { body: { key } }),
        await call("POST", "/licenses/activate", { body: { machine_id: randomMachineId() } }),
        await call("POST", "/licenses/activate", { body: { key: 42, machine_id: randomMachineId() } }),
      ];
      for (const res of refused) {
        expect(expectProblem(res, 422, "validation_failed").ok).toBe(true);
        expect(res.json?.errors).toEqual(expect.arrayContaining([expect.anything()])); // at least one error
      }
      expect((await activate(key, "x".repeat(16))).status).toBe(200);
      expect((await activate(key, "y".repeat(128))).status).toBe(200);
      expect(await activationsOf(id)).toHaveLength(2);
    });

    it("malformed JSON is 400 malformed_json", async () => {
      // Bytes that are not JSON: what no typed client sends.
      const res = await call("POST", "/licenses/activate", {
        rawBody: "{nope",
        headers: { "content-type": "application/json" },
      });
      expect(expectProblem(res, 400, "malformed_json").ok).toBe(true);
    });

    it("K4: a body over the limit is 413, also chunked without Content-Length", async () => {
      // Raw bodies (no content type, then a stream of bytes): sent as they are, not built by the typed client.
      const big = JSON.stringify({
        key: "SR-BASE-x",
        machine_id: randomMachineId(),
        machine_name: "n".repeat(20 * 1024),
      });
      expect(
        expectProblem(await call("POST", "/licenses/activate", { rawBody: big }), 413, "payload_too_large").ok,
      ).toBe(true);
      const chunks = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
          controller.close();
        },
      });
      const res = await call("POST", "/licenses/validate", { rawBody: chunks });
      expect(expectProblem(res, 413, "payload_too_large").ok).toBe(true);
    });
  });

  it("stores exactly the issued token", async () => {
    const { id, key } = await issueTestLicense();
    expect(await tokensOf(id)).toEqual([expect.objectContaining({ key, licenseId: id, kid: "test-current" })]);
  });
});
