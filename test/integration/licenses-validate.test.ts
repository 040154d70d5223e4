import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { licenses } from "../../src/db/schema";
import { toSec } from "../../src/lib/clock";
import { testDb } from "../support/db";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";
import { issueTestLicense, randomMachineId } from "../support/factories";
import { activationsOf, currentSigningKey, decodeClaims, licenseClaims, signKey, tamperKey } from "../support/licenses";

const validate = (key: string, machineId?: string) =>
  api.licenses.validate.$post({ header: {}, json: { key, ...(machineId ? { machine_id: machineId } : {}) } });
/** Validate's verdict: always a 200 for a well-formed request. */
const verdict = async (key: string, machineId?: string) => (await expectStatus(validate(key, machineId), 200)).json;
const activate = (key: string, machineId: string) =>
  api.licenses.activate.$post({ header: {}, json: { key, machine_id: machineId } });

describe("POST /licenses/validate", () => {
  it("through the typed client (test/support/api.ts): the answer has the route's own type", async () => {
    const { id, key } = await issueTestLicense();
    const machineId = randomMachineId();
    const activated = await api.licenses.activate.$post({ header: {}, json: { key, machine_id: machineId } });
    expect(activated.status).toBe(200);
    const res = await api.licenses.validate.$post({ header: {}, json: { key, machine_id: machineId } });
    if (res.status !== 200) throw new Error(`validate answered ${res.status}`);
    const body = await res.json(); // typed by the route: a typo in a field name fails `npm run typecheck`
    expect(body.valid).toBe(true);
    expect(body.license?.id).toBe(id);
    expect(decodeClaims(body.lease ?? "")).toMatchObject({ sub: id, machine: machineId });
    const refused = await api.licenses.validate.$post({ header: {}, json: { key: `${key}x` } });
    expect(refused.status).toBe(200);
    if (refused.status === 200) expect((await refused.json()).valid).toBe(false);
  });

  it("valid without a machine: the license and newest key, no lease, nothing written", async () => {
    const { id, key, license } = await issueTestLicense({ product: "simpl-liste", tier: "premium" });
    expect(await verdict(key)).toEqual({
      valid: true,
      code: "valid",
      license: {
        id,
        product: "simpl-liste",
        tier: "premium",
        status: "active",
        expires_at: license.expiresAt.toISOString().replace(".000Z", "Z"),
      },
      key,
    });
    expect(await activationsOf(id)).toHaveLength(0);
  });

  it("valid with an activated machine: a fresh lease for that machine", async () => {
    const { id, key } = await issueTestLicense();
    const machineId = randomMachineId();
    await activate(key, machineId);
    const res = await verdict(key, machineId);
    expect(res).toMatchObject({ valid: true, code: "valid", key });
    expect(decodeClaims(res.lease ?? "")).toMatchObject({ sub: id, machine: machineId, aud: "simpl-resultat" });
    expect(await activationsOf(id)).toHaveLength(1);
  });

  it("not_activated for a machine without a seat while seats are free; machine_limit once they are gone", async () => {
    const { id, key } = await issueTestLicense();
    const stranger = randomMachineId();
    expect(await verdict(key, stranger)).toMatchObject({
      valid: false,
      code: "not_activated",
      license: { id },
    });
    expect((await verdict(key, stranger)).lease).toBeUndefined();
    for (let i = 0; i < 3; i++) await activate(key, randomMachineId());
    const full = await verdict(key, stranger);
    expect(full).toMatchObject({ valid: false, code: "machine_limit", license: { id } });
    expect(full.lease).toBeUndefined();
    expect(await activationsOf(id)).toHaveLength(3);
  });

  it("revoked, suspended, expired: 200 with the code and the license, no lease and no key", async () => {
    for (const [over, code] of [
      [{ status: "revoked" }, "revoked"],
      [{ status: "suspended" }, "suspended"],
      [{ expiresAt: new Date(Date.now() - 1000) }, "expired"],
    ] as const) {
      const { id, key } = await issueTestLicense(over);
      expect(await verdict(key, randomMachineId())).toEqual({
        valid: false,
        code,
        license: expect.objectContaining({ id, status: code }),
      });
    }
  });

  it("an activated machine of a license revoked since gets no lease", async () => {
    const { id, key } = await issueTestLicense();
    const machineId = randomMachineId();
    await activate(key, machineId);
    await testDb().update(licenses).set({ status: "revoked" }).where(eq(licenses.id, id));
    expect(await verdict(key, machineId)).toEqual({
      valid: false,
      code: "revoked",
      license: expect.objectContaining({ id, status: "revoked" }),
    });
  });

  it("invalid: forged, tampered or unknown keys are 200 code invalid with license null", async () => {
    const { id, key } = await issueTestLicense();
    const ghost = await signKey(currentSigningKey(), licenseClaims(`lic_ghost_${crypto.randomUUID()}`));
    for (const bad of [
      tamperKey(key, { sub: "lic_other" }),
      key.replace("SR-BASE-", "SR-PREMIUM-"),
      "SR-BASE-a.b.c",
      ghost,
    ]) {
      expect(await verdict(bad)).toEqual({ valid: false, code: "invalid", license: null });
    }
    expect(await activationsOf(id)).toHaveLength(0);
  });

  it("an expired older key of a license still active is valid and comes back with the newest key", async () => {
    const { id, key: newest } = await issueTestLicense();
    const old = await signKey(
      currentSigningKey(),
      licenseClaims(id, { iat: toSec(new Date()) - 90 * 86_400, exp: toSec(new Date()) - 60 }),
    );
    expect(await verdict(old)).toMatchObject({ valid: true, code: "valid", key: newest });
  });

  it("a malformed request is a problem, not a code", async () => {
    // No key: a body the typed client will not build.
    expect(expectProblem(await call("POST", "/licenses/validate", { body: {} }), 422, "validation_failed").ok).toBe(
      true,
    );
    expect(expectProblem(await problemOf(validate("x", "short")), 422, "validation_failed").ok).toBe(true);
  });
});
