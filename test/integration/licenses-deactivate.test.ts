import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deactivations, licenses } from "../../src/db/schema";
import { TEST_INTERNAL_KEYS } from "../bindings";
import { testDb } from "../support/db";
import { api, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";
import { issueTestLicense, randomMachineId } from "../support/factories";
import { activationsOf, licenseRow, tamperKey } from "../support/licenses";

const activate = (key: string, machineId = randomMachineId()) =>
  api.licenses.activate.$post({ header: {}, json: { key, machine_id: machineId } });
const deactivate = (key: string, machineId: string) =>
  api.licenses.deactivate.$post({ header: {}, json: { key, machine_id: machineId } });
const asAdmin = { headers: { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}` } };

/** A license with one machine activated on it. */
async function licenseOnOneMachine() {
  const { id, key } = await issueTestLicense();
  const machineId = randomMachineId();
  await activate(key, machineId);
  return { id, key, machineId };
}

describe("POST /licenses/deactivate", () => {
  it("frees the seat: with all 3 taken, deactivating one lets another machine in", async () => {
    const { id, key } = await issueTestLicense();
    const machines = [randomMachineId(), randomMachineId(), randomMachineId()];
    for (const m of machines) await activate(key, m);
    expect((await activate(key)).status).toBe(409);

    const res = await deactivate(key, machines[0]!);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deactivated: true });
    expect((await activationsOf(id)).map((a) => a.machineId).sort()).toEqual([machines[1], machines[2]].sort());

    const newcomer = randomMachineId();
    expect((await activate(key, newcomer)).status).toBe(200);
    expect(await activationsOf(id)).toHaveLength(3);
  });

  it("is idempotent: a machine without a seat is 200 and nothing changes", async () => {
    const { id, key, machineId: kept } = await licenseOnOneMachine();
    expect(await (await deactivate(key, randomMachineId())).json()).toEqual({ deactivated: true });
    expect((await activationsOf(id)).map((a) => a.machineId)).toEqual([kept]);
  });

  it("works on a revoked or expired license too (leaving a machine is always possible)", async () => {
    const { id, key, machineId } = await licenseOnOneMachine();
    await testDb().update(licenses).set({ status: "revoked" }).where(eq(licenses.id, id));
    expect((await deactivate(key, machineId)).status).toBe(200);
    expect(await activationsOf(id)).toHaveLength(0);
  });

  it("an invalid key is 401 invalid_license and frees nothing", async () => {
    const { id, key, machineId } = await licenseOnOneMachine();
    const res = await deactivate(tamperKey(key, { exp: 9_999_999_999 }), machineId);
    expect(expectProblem(await problemOf(res), 401, "invalid_license").ok).toBe(true);
    expect(await activationsOf(id)).toHaveLength(1);
  });

  it("machine_id is required and 16–128 characters", async () => {
    const { key } = await issueTestLicense();
    // A body without machine_id is one the typed client refuses to build: sent raw.
    expect(
      expectProblem(await call("POST", "/licenses/deactivate", { body: { key } }), 422, "validation_failed").ok,
    ).toBe(true);
    expect(expectProblem(await problemOf(await deactivate(key, "short")), 422, "validation_failed").ok).toBe(true);
  });
});

const DAY_MS = 86_400_000;
const deactivationsOf = (licenseId: string) =>
  testDb().select().from(deactivations).where(eq(deactivations.licenseId, licenseId));

describe("seat churn: DEACTIVATION_LIMIT (3) per rolling 30 days", () => {
  it("2: activate → deactivate on 5 machines in a row refuses the 4th deactivation with 429 and Retry-After; the seat stays taken", async () => {
    const { id, key } = await issueTestLicense();
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof problemOf>> | null = null;
    for (let i = 0; i < 5; i++) {
      const machine = randomMachineId();
      expect((await activate(key, machine)).status).toBe(200);
      const res = await deactivate(key, machine);
      statuses.push(res.status);
      if (res.status === 429) refused ??= await problemOf(res);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(expectProblem(refused!, 429, "deactivation_limit_reached").ok).toBe(true);
    const retryAfter = Number(refused!.headers.get("retry-after"));
    // Seconds until the oldest counted deactivation (just now) leaves the 30-day window.
    expect(retryAfter).toBeGreaterThan(30 * 86_400 - 600);
    expect(retryAfter).toBeLessThanOrEqual(30 * 86_400);
    expect(refused!.json).toMatchObject({ limit: 3, retry_after: retryAfter });
    expect(await deactivationsOf(id)).toHaveLength(3);
    // The two refused machines still hold their seats (2 of 3): churn cannot outrun ACTIVATION_LIMIT.
    expect(await activationsOf(id)).toHaveLength(2);
  });

  it("2: deactivations older than 30 days no longer count; Retry-After is the time until the oldest counted one leaves", async () => {
    const { id, key } = await issueTestLicense();
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY_MS);
    await testDb()
      .insert(deactivations)
      .values([
        {
          id: `dea_old_${crypto.randomUUID()}`,
          licenseId: id,
          machineId: "m-old-0000000000000",
          deactivatedAt: at(31),
        },
        { id: `dea_a_${crypto.randomUUID()}`, licenseId: id, machineId: "m-a-00000000000000", deactivatedAt: at(20) },
        { id: `dea_b_${crypto.randomUUID()}`, licenseId: id, machineId: "m-b-00000000000000", deactivatedAt: at(10) },
      ]);
    const m1 = randomMachineId();
    await activate(key, m1);
    expect((await deactivate(key, m1)).status).toBe(200); // the 31-day-old one is out of the window: 3rd counted
    const m2 = randomMachineId();
    await activate(key, m2);
    const refused = await problemOf(await deactivate(key, m2));
    expect(expectProblem(refused, 429, "deactivation_limit_reached").ok).toBe(true);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(Math.abs(retryAfter - 10 * 86_400)).toBeLessThan(600); // the 20-day-old one leaves in 10 days
  });

  it("2: concurrent deactivations of 3 seats with only 1 left in the window: exactly 1 succeeds", async () => {
    const { id, key } = await issueTestLicense();
    await testDb()
      .insert(deactivations)
      .values(
        [0, 1].map((i) => ({
          id: `dea_${i}_${crypto.randomUUID()}`,
          licenseId: id,
          machineId: `m-prior-${i}-000000000000`,
          deactivatedAt: new Date(),
        })),
      );
    const machines = [randomMachineId(), randomMachineId(), randomMachineId()];
    for (const m of machines) expect((await activate(key, m)).status).toBe(200);
    const results = await Promise.all(machines.map((m) => deactivate(key, m)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 429, 429]);
    expect(await activationsOf(id)).toHaveLength(2);
    expect(await deactivationsOf(id)).toHaveLength(3);
  });

  it("2: a machine without a seat is still 200 at the limit (nothing to free, nothing counted)", async () => {
    const { id, key } = await issueTestLicense();
    await testDb()
      .insert(deactivations)
      .values(
        [0, 1, 2].map((i) => ({
          id: `dea_${i}_${crypto.randomUUID()}`,
          licenseId: id,
          machineId: `m-prior-${i}-000000000000`,
          deactivatedAt: new Date(),
        })),
      );
    expect(await (await deactivate(key, randomMachineId())).json()).toEqual({ deactivated: true });
    expect(await deactivationsOf(id)).toHaveLength(3);
  });

  it("2: POST /admin/licenses/{id}/reset-deactivations lets support lift the limit (internal key required)", async () => {
    const { id, key } = await issueTestLicense();
    const machines = [randomMachineId(), randomMachineId(), randomMachineId(), randomMachineId()];
    for (const m of machines.slice(0, 3)) {
      await activate(key, m);
      expect((await deactivate(key, m)).status).toBe(200);
    }
    await activate(key, machines[3]!);
    expect((await deactivate(key, machines[3]!)).status).toBe(429);

    const resetRoute = api.admin.licenses[":id"]["reset-deactivations"];
    const unauthorized = await resetRoute.$post({ param: { id }, json: {} });
    expect(expectProblem(await problemOf(unauthorized), 401, "unauthorized").ok).toBe(true);
    expect((await licenseRow(id))!.deactivationsResetAt).toBeNull();
    const unknown = await resetRoute.$post({ param: { id: "lic_nope" }, json: {} }, asAdmin);
    expect(expectProblem(await problemOf(unknown), 404, "not_found").ok).toBe(true);

    const reset = await resetRoute.$post({ param: { id }, json: {} }, asAdmin);
    if (reset.status !== 200) throw new Error(`reset-deactivations answered ${reset.status}`);
    expect((await reset.json()).license).toMatchObject({ id });
    expect((await licenseRow(id))!.deactivationsResetAt).toBeInstanceOf(Date);
    expect((await deactivate(key, machines[3]!)).status).toBe(200);
    expect(await activationsOf(id)).toHaveLength(0);
    expect(await deactivationsOf(id)).toHaveLength(4); // the history is kept; only the count restarts
  });
});
