import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { licenses } from "../../src/db/schema";
import { testDb } from "../support/db";
import { call, expectProblem } from "../support/http";
import { issueTestLicense, randomMachineId } from "../support/factories";
import { activationsOf, tamperKey } from "../support/licenses";

const activate = (key: string, machineId = randomMachineId()) => call("POST", "/licenses/activate", { body: { key, machine_id: machineId } });
const deactivate = (key: string, machineId: string) => call("POST", "/licenses/deactivate", { body: { key, machine_id: machineId } });

describe("POST /licenses/deactivate", () => {
  it("frees the seat: with all 3 taken, deactivating one lets another machine in", async () => {
    const { id, key } = await issueTestLicense();
    const machines = [randomMachineId(), randomMachineId(), randomMachineId()];
    for (const m of machines) await activate(key, m);
    expect((await activate(key)).status).toBe(409);

    const res = await deactivate(key, machines[0]!);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ deactivated: true });
    expect((await activationsOf(id)).map((a) => a.machineId).sort()).toEqual([machines[1], machines[2]].sort());

    const newcomer = randomMachineId();
    expect((await activate(key, newcomer)).status).toBe(200);
    expect(await activationsOf(id)).toHaveLength(3);
  });

  it("is idempotent: a machine without a seat is 200 and nothing changes", async () => {
    const { id, key } = await issueTestLicense();
    const kept = randomMachineId();
    await activate(key, kept);
    expect((await deactivate(key, randomMachineId())).json).toEqual({ deactivated: true });
    expect((await activationsOf(id)).map((a) => a.machineId)).toEqual([kept]);
  });

  it("works on a revoked or expired license too (leaving a machine is always possible)", async () => {
    const { id, key } = await issueTestLicense();
    const machineId = randomMachineId();
    await activate(key, machineId);
    await testDb().update(licenses).set({ status: "revoked" }).where(eq(licenses.id, id));
    expect((await deactivate(key, machineId)).status).toBe(200);
    expect(await activationsOf(id)).toHaveLength(0);
  });

  it("an invalid key is 401 invalid_license and frees nothing", async () => {
    const { id, key } = await issueTestLicense();
    const machineId = randomMachineId();
    await activate(key, machineId);
    const res = await deactivate(tamperKey(key, { exp: 9_999_999_999 }), machineId);
    expect(expectProblem(res, 401, "invalid_license").ok).toBe(true);
    expect(await activationsOf(id)).toHaveLength(1);
  });

  it("machine_id is required and 16–128 characters", async () => {
    const { key } = await issueTestLicense();
    expect(expectProblem(await call("POST", "/licenses/deactivate", { body: { key } }), 422, "validation_failed").ok).toBe(true);
    expect(expectProblem(await deactivate(key, "short"), 422, "validation_failed").ok).toBe(true);
  });
});
