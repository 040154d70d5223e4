import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { seatProofJtis } from "../../src/db/schema";
import { newInstallKey, privateJwkOf, signProof } from "../../tools/dpop/proof.mjs";
import { TEST_INTERNAL_KEYS, TEST_PUBLIC_ORIGIN } from "../bindings";
import { issueTestLicense, randomEmail, randomMachineId } from "../support/factories";
import { api, apiWithEnv, expectStatus, problemOf } from "../support/api";
import { expectProblem } from "../support/http";
import { activationsOf, decodeClaims } from "../support/licenses";
import { testDb } from "../support/db";

// Issue 27: a seat is an install's key (RFC 9449 DPoP, Ed25519, RFC 7638 thumbprints), not a claimed machine id.
type Key = Awaited<ReturnType<typeof newInstallKey>>;
type Op = "activate" | "validate" | "deactivate";
const url = (op: Op) => `${TEST_PUBLIC_ORIGIN}/licenses/${op}`;
const now = () => Math.floor(Date.now() / 1000);
const proofFor = (key: Key, op: Op, over: Partial<Parameters<typeof signProof>[1]> = {}) =>
  signProof(key, { htm: "POST", htu: url(op), ...over });

/** The three seat routes with a given proof (or none), through one client and with extra request headers. */
const seatCalls = (client = api, headers: Record<string, string> = {}) => ({
  activate: (key: string, machineId: string, proof?: string) =>
    client.licenses.activate.$post({ header: { DPoP: proof }, json: { key, machine_id: machineId } }, { headers }),
  validate: (key: string, machineId: string, proof?: string) =>
    client.licenses.validate.$post({ header: { DPoP: proof }, json: { key, machine_id: machineId } }, { headers }),
  deactivate: (key: string, machineId: string, proof?: string) =>
    client.licenses.deactivate.$post({ header: { DPoP: proof }, json: { key, machine_id: machineId } }, { headers }),
});
const send = seatCalls();
// With the install's fresh proof, or without one.
const activate = async (key: string, machineId: string, install?: Key) =>
  send.activate(key, machineId, install && (await proofFor(install, "activate")));
const validate = async (key: string, machineId: string, install?: Key) =>
  send.validate(key, machineId, install && (await proofFor(install, "validate")));
const deactivate = async (key: string, machineId: string, install?: Key) =>
  send.deactivate(key, machineId, install && (await proofFor(install, "deactivate")));
/** Validate's verdict (always a 200 for a well-formed request). */
const verdictOf = async (answer: ReturnType<typeof send.validate>) => (await expectStatus(answer, 200)).json;

async function expectProofRefused(answer: Parameters<typeof problemOf>[0], proofSent = true) {
  const res = await problemOf(answer);
  expect(expectProblem(res, 401, "invalid_proof").ok, JSON.stringify(res.json)).toBe(true);
  expect(res.headers.get("www-authenticate")).toBe(
    proofSent ? 'DPoP algs="EdDSA", error="invalid_dpop_proof"' : 'DPoP algs="EdDSA"',
  );
}
const jtisOf = (jkt: string) => testDb().select().from(seatProofJtis).where(eq(seatProofJtis.jkt, jkt));

describe("seats bound to an install's key (DPoP)", () => {
  it("activate with a proof binds the seat: its public key and jkt stored, the lease carries cnf.jkt; validate with the key is valid", async () => {
    const { id, key } = await issueTestLicense();
    const install = await newInstallKey();
    const machine = randomMachineId();
    const res = await expectStatus(activate(key, machine, install), 200);
    expect(decodeClaims(res.json.lease)).toMatchObject({ machine, cnf: { jkt: install.jkt } });
    const rows = await activationsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ machineId: machine, jkt: install.jkt, publicKey: install.publicJwk });

    const valid = await verdictOf(validate(key, machine, install));
    expect(valid).toMatchObject({ valid: true, code: "valid" });
    expect(decodeClaims(valid.lease ?? "").cnf).toEqual({ jkt: install.jkt });
    // The accepted jti is remembered for the replay window only (iat + DPOP_MAX_AGE_SECONDS).
    const jtis = await jtisOf(install.jkt);
    expect(jtis).toHaveLength(2);
    for (const j of jtis) expect(j.expiresAt.getTime()).toBeLessThanOrEqual((now() + 62) * 1000);
  });

  it("a bound seat without a proof: validate is 200 invalid_proof (nothing of the license), deactivate 401 with the DPoP challenge; the seat stays", async () => {
    const { id, key } = await issueTestLicense();
    const install = await newInstallKey();
    const machine = randomMachineId();
    expect((await activate(key, machine, install)).status).toBe(200);

    expect(await verdictOf(validate(key, machine))).toEqual({ valid: false, code: "invalid_proof", license: null });
    await expectProofRefused(deactivate(key, machine), false);
    expect(await activationsOf(id)).toHaveLength(1);
    // With the key's proof, it frees the seat.
    expect((await expectStatus(deactivate(key, machine, install), 200)).json).toEqual({ deactivated: true });
    expect(await activationsOf(id)).toHaveLength(0);
  });

  it("the copied machine id: another key cannot validate or free the seat, and takes a seat of its own (or 409 when none is free)", async () => {
    const { id, key } = await issueTestLicense({ maxMachines: 2 });
    const [owner, copier, third] = [await newInstallKey(), await newInstallKey(), await newInstallKey()];
    const machine = randomMachineId();
    expect((await activate(key, machine, owner)).status).toBe(200);

    expect(await verdictOf(validate(key, machine, copier))).toEqual({
      valid: false,
      code: "invalid_proof",
      license: null,
    });
    await expectProofRefused(deactivate(key, machine, copier));
    const own = await expectStatus(activate(key, machine, copier), 200);
    expect(decodeClaims(own.json.lease).cnf).toEqual({ jkt: copier.jkt });
    const rows = await activationsOf(id);
    expect(rows.map((r) => r.jkt).sort()).toEqual([owner.jkt, copier.jkt].sort());
    expect(rows.every((r) => r.machineId === machine)).toBe(true);
    // Both installs validate, each with its own key.
    expect((await verdictOf(validate(key, machine, owner))).code).toBe("valid");
    expect((await verdictOf(validate(key, machine, copier))).code).toBe("valid");
    // A third key on the same machine id: no free seat.
    expect(expectProblem(await problemOf(activate(key, machine, third)), 409, "activation_limit_reached").ok).toBe(
      true,
    );
    expect(await activationsOf(id)).toHaveLength(2);
    // Freeing the copier's seat leaves the owner's.
    expect((await deactivate(key, machine, copier)).status).toBe(200);
    expect((await activationsOf(id)).map((r) => r.jkt)).toEqual([owner.jkt]);
  });

  it("a proof for another license's seat is refused: the seat's key decides, not the machine id", async () => {
    const a = await issueTestLicense();
    const b = await issueTestLicense();
    const [keyA, keyB] = [await newInstallKey(), await newInstallKey()];
    const machine = randomMachineId();
    expect((await activate(a.key, machine, keyA)).status).toBe(200);
    expect((await activate(b.key, machine, keyB)).status).toBe(200);

    expect(await verdictOf(validate(b.key, machine, keyA))).toMatchObject({ valid: false, code: "invalid_proof" });
    await expectProofRefused(deactivate(b.key, machine, keyA));
    expect((await activationsOf(b.id)).map((r) => r.jkt)).toEqual([keyB.jkt]);
  });

  it("an unbound seat re-activated with a key becomes bound (same seat), and then needs the key", async () => {
    const { id, key } = await issueTestLicense();
    const install = await newInstallKey();
    const machine = randomMachineId();
    expect((await activate(key, machine)).status).toBe(200);
    const [before] = await activationsOf(id);
    expect(before!.jkt).toBeNull();
    expect((await activate(key, machine, install)).status).toBe(200);
    const rows = await activationsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: before!.id, jkt: install.jkt, activatedAt: before!.activatedAt });
    expect((await verdictOf(validate(key, machine))).code).toBe("invalid_proof");
  });

  it("under SEAT_PROOF=optional (the default) the unbound path is unchanged: no proof, no cnf, validate and deactivate as before", async () => {
    const { id, key } = await issueTestLicense();
    const machine = randomMachineId();
    const res = await expectStatus(activate(key, machine), 200);
    expect(decodeClaims(res.json.lease).cnf).toBeUndefined();
    const valid = await verdictOf(validate(key, machine));
    expect(valid).toMatchObject({ valid: true, code: "valid" });
    expect(decodeClaims(valid.lease ?? "").cnf).toBeUndefined();
    expect((await expectStatus(deactivate(key, machine), 200)).json).toEqual({ deactivated: true });
    expect(await activationsOf(id)).toHaveLength(0);
  });

  it("SEAT_PROOF=required: activation without a proof is 401 invalid_proof, and an unbound seat validates as invalid_proof until re-activated with a key", async () => {
    const { id, key } = await issueTestLicense();
    const machine = randomMachineId();
    expect((await activate(key, machine)).status).toBe(200); // made while optional
    const required = seatCalls(apiWithEnv({ SEAT_PROOF: "required" }));
    await expectProofRefused(required.activate(key, randomMachineId()), false);
    expect(await activationsOf(id)).toHaveLength(1);
    expect(await verdictOf(required.validate(key, machine))).toEqual({
      valid: false,
      code: "invalid_proof",
      license: null,
    });

    const install = await newInstallKey();
    await expectStatus(required.activate(key, machine, await proofFor(install, "activate")), 200);
    const again = await verdictOf(required.validate(key, machine, await proofFor(install, "validate")));
    expect(again.code).toBe("valid");
    expect(await activationsOf(id)).toHaveLength(1);
  });

  it("the admin view shows each seat's bound flag", async () => {
    const email = randomEmail();
    const { key } = await issueTestLicense({ email });
    const [bound, unbound] = [randomMachineId(), randomMachineId()];
    expect((await activate(key, bound, await newInstallKey())).status).toBe(200);
    expect((await activate(key, unbound)).status).toBe(200);
    const res = await expectStatus(
      api.admin.licenses.$get({ query: { email } }, { headers: { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}` } }),
      200,
    );
    const seats = res.json.licenses[0]?.activations ?? [];
    expect(Object.fromEntries(seats.map((s) => [s.machine_id, s.bound]))).toEqual({ [bound]: true, [unbound]: false });
  });
});

describe("bad proofs: 401 invalid_proof on activate (no seat, no jti kept), invalid_proof on validate", () => {
  const cases: [string, (k: Key, other: Key) => Promise<string>][] = [
    [
      "signed by another key than its jwk",
      async (k, other) => signProof(other, { htm: "POST", htu: url("activate"), jwk: k.publicJwk }),
    ],
    ["htu of another path", (k) => proofFor(k, "activate", { htu: url("validate") })],
    ["htu of another origin", (k) => proofFor(k, "activate", { htu: "https://evil.example/licenses/activate" })],
    ["htm mismatch", (k) => proofFor(k, "activate", { htm: "GET" })],
    ["iat 5 minutes old", (k) => proofFor(k, "activate", { iat: now() - 300 })],
    ["iat 5 minutes ahead", (k) => proofFor(k, "activate", { iat: now() + 300 })],
    ["a jwk holding the private key", async (k) => proofFor(k, "activate", { jwk: await privateJwkOf(k) })],
    ["typ JWT", (k) => proofFor(k, "activate", { typ: "JWT" })],
    ["no jti", (k) => proofFor(k, "activate", { claims: { jti: undefined } })],
    ["not a JWT", async () => "not-a-proof"],
  ];
  for (const [name, build] of cases) {
    it(name, async () => {
      const { id, key } = await issueTestLicense();
      const [install, other] = [await newInstallKey(), await newInstallKey()];
      const proof = await build(install, other);
      await expectProofRefused(send.activate(key, randomMachineId(), proof));
      expect(await activationsOf(id)).toHaveLength(0);
      expect(await jtisOf(install.jkt)).toHaveLength(0);
    });
  }

  it("a replayed proof: the first use counts, every later one is refused (activate, validate, deactivate)", async () => {
    const { id, key } = await issueTestLicense();
    const install = await newInstallKey();
    const machine = randomMachineId();
    const captured = await proofFor(install, "activate");
    expect((await send.activate(key, machine, captured)).status).toBe(200);
    await expectProofRefused(send.activate(key, randomMachineId(), captured));
    expect(await activationsOf(id)).toHaveLength(1);

    const validateProof = await proofFor(install, "validate");
    expect((await verdictOf(send.validate(key, machine, validateProof))).code).toBe("valid");
    expect(await verdictOf(send.validate(key, machine, validateProof))).toEqual({
      valid: false,
      code: "invalid_proof",
      license: null,
    });
    // Replayed at once from many places: exactly one is accepted.
    const proof = await proofFor(install, "validate");
    const results = await Promise.all(Array.from({ length: 10 }, () => verdictOf(send.validate(key, machine, proof))));
    expect(results.filter((r) => r.code === "valid")).toHaveLength(1);
    expect(results.filter((r) => r.code === "invalid_proof")).toHaveLength(9);

    const freeing = await proofFor(install, "deactivate");
    expect((await send.deactivate(key, machine, freeing)).status).toBe(200);
    expect((await activate(key, machine, install)).status).toBe(200);
    await expectProofRefused(send.deactivate(key, machine, freeing));
    expect(await activationsOf(id)).toHaveLength(1);
  });

  it("two DPoP headers are refused", async () => {
    const { key } = await issueTestLicense();
    const install = await newInstallKey();
    const headers = new Headers();
    headers.append("DPoP", await proofFor(install, "activate"));
    headers.append("DPoP", await proofFor(install, "activate"));
    const joined = headers.get("DPoP") ?? ""; // what the Worker reads: both, joined by ", "
    await expectProofRefused(send.activate(key, randomMachineId(), joined));
  });

  it("bad proofs count against the per-IP limit like a bad key, not against the license's bucket", async () => {
    const { key } = await issueTestLicense();
    const install = await newInstallKey();
    const machine = randomMachineId();
    expect((await activate(key, machine, install)).status).toBe(200);
    const ip = `203.0.113.9-${crypto.randomUUID()}`;
    const stale = await proofFor(install, "validate", { iat: now() - 300 });
    const fromOneClient = seatCalls(api, { "CF-Connecting-IP": ip });
    const statuses: number[] = [];
    for (let i = 0; i < 125; i++) {
      const res = await fromOneClient.validate(key, machine, stale);
      statuses.push(res.status);
      if (res.status === 200) expect((await res.json()).code).toBe("invalid_proof");
    }
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(120).every((s) => s === 429)).toBe(true);
    // The license's own bucket (30 a minute) was not spent: the install still validates.
    expect((await verdictOf(validate(key, machine, install))).code).toBe("valid");
  });
});

describe("concurrency with bound seats", () => {
  it("20 concurrent activations of one key by 20 installs with limit 3 give exactly 3 bound seats", async () => {
    const { id, key } = await issueTestLicense();
    const installs = await Promise.all(Array.from({ length: 20 }, () => newInstallKey()));
    const results = await Promise.all(installs.map((k) => activate(key, randomMachineId(), k)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(17);
    const rows = await activationsOf(id);
    expect(rows).toHaveLength(3);
    const admitted = installs.filter((_, i) => results[i]!.status === 200).map((k) => k.jkt);
    expect(new Set(rows.map((r) => r.jkt))).toEqual(new Set(admitted));
  });

  it("20 concurrent installs on one copied machine id with limit 3 give exactly 3 seats, one per admitted key", async () => {
    const { id, key } = await issueTestLicense();
    const machine = randomMachineId();
    const installs = await Promise.all(Array.from({ length: 20 }, () => newInstallKey()));
    // Each answer's status, and a refusal's problem code.
    const results = await Promise.all(
      installs.map(async (k) => {
        const res = await activate(key, machine, k);
        return { status: res.status, code: res.status === 200 ? undefined : (await problemOf(res)).json.code };
      }),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.every((r) => r.status === 200 || r.code === "activation_limit_reached")).toBe(true);
    expect(await activationsOf(id)).toHaveLength(3);
  });

  it("20 concurrent activations of the same install (fresh proofs) give 20 successes and one seat", async () => {
    const { id, key } = await issueTestLicense();
    const install = await newInstallKey();
    const machine = randomMachineId();
    const results = await Promise.all(Array.from({ length: 20 }, () => activate(key, machine, install)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await activationsOf(id)).map((r) => r.jkt)).toEqual([install.jkt]);
  });
});
