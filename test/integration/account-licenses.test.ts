// The account page's two endpoints: a user's licenses and their machines, and freeing a seat remotely
// (the dead laptop) without the key. Another user's license reads as one that does not exist.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { deactivations } from "../../src/db/schema";
import { testDb } from "../support/db";
import { bearer, signAccessToken, useLogto } from "../support/fakes/logto";
import {
  insertCustomer,
  insertSubscription,
  issueTestLicense,
  randomMachineId,
  randomSuffix,
} from "../support/factories";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";
import { activationsOf } from "../support/licenses";

const isoSecPattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const auth = async (sub: string) => bearer(await signAccessToken({ sub }));
const listFor = async (sub: string) => api.account.licenses.$get({}, { headers: await auth(sub) });
const freeFor = async (sub: string, licenseId: string, machineId: string) =>
  api.account.licenses[":id"].machines[":machine_id"].$delete(
    { param: { id: encodeURIComponent(licenseId), machine_id: encodeURIComponent(machineId) } },
    { headers: await auth(sub) },
  );
type MachineFields = Omit<Parameters<typeof api.licenses.activate.$post>[0]["json"], "key" | "machine_id">;
const activate = (key: string, machineId = randomMachineId(), extra: MachineFields = {}) =>
  api.licenses.activate.$post({ header: {}, json: { key, machine_id: machineId, ...extra } });
const validate = (key: string, machineId: string) =>
  api.licenses.validate.$post({ header: {}, json: { key, machine_id: machineId } });
const deactivationsOf = (licenseId: string) =>
  testDb().select().from(deactivations).where(eq(deactivations.licenseId, licenseId));

/** A Logto user with two Stripe customers (each checkout may make one), a license under each. */
async function userWithTwoCustomers() {
  const sub = `logto_${randomSuffix()}`;
  const first = await insertCustomer({ logtoUserId: sub });
  const second = await insertCustomer({ logtoUserId: sub });
  const older = await issueTestLicense({ customerId: first.id, tier: "premium", maxMachines: 5 });
  // Linked only through its subscription's customer (the license row has no customer_id).
  const subscription = await insertSubscription({ customerId: second.id, product: "simpl-liste" });
  const newer = await issueTestLicense({
    subscriptionId: subscription.id,
    product: "simpl-liste",
    status: "suspended",
  });
  return { sub, older, newer };
}

beforeEach(async () => {
  await useLogto();
});

describe("GET /account/licenses", () => {
  it("lists every license of the user, through each of their customers, with its newest key and machines", async () => {
    const u = await userWithTwoCustomers();
    const machineId = randomMachineId();
    expect(
      (
        await activate(u.older.key, machineId, {
          machine_name: "Dell de Marc",
          platform: "windows",
          app_version: "2.4.1",
        })
      ).status,
    ).toBe(200);
    const [seat] = await activationsOf(u.older.id);

    const body = (await expectStatus(listFor(u.sub), 200)).json;
    expect(body.licenses.map((l) => l.id)).toEqual([u.newer.id, u.older.id]);
    expect(body.licenses[0]).toEqual({
      id: u.newer.id,
      product: "simpl-liste",
      tier: "base",
      status: "suspended",
      expires_at: u.newer.license.expiresAt.toISOString().replace(".000Z", "Z"),
      key: u.newer.key,
      max_machines: 3,
      machines: [],
    });
    expect(body.licenses[1]).toMatchObject({ status: "active", tier: "premium", key: u.older.key, max_machines: 5 });
    expect(body.licenses[1]!.machines).toEqual([
      {
        machine_id: machineId,
        machine_name: "Dell de Marc",
        platform: "windows",
        app_version: "2.4.1",
        activated_at: expect.stringMatching(isoSecPattern),
        last_seen_at: expect.stringMatching(isoSecPattern),
        bound: false,
      },
    ]);
    expect(new Date(body.licenses[1]!.machines[0]!.activated_at).getTime()).toBe(
      Math.floor(seat!.activatedAt.getTime() / 1000) * 1000,
    );
  });

  it("a user without licenses gets [], and never sees another user's", async () => {
    const other = await userWithTwoCustomers();
    const res = await expectStatus(listFor(`logto_${randomSuffix()}`), 200);
    expect(res.json).toEqual({ licenses: [] });
    expect(JSON.stringify(res.json)).not.toContain(other.older.id);
  });

  it("without a valid Logto token: 401 invalid_token with WWW-Authenticate", async () => {
    const res = await problemOf(api.account.licenses.$get());
    expect(expectProblem(res, 401, "invalid_token").ok).toBe(true);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  });
});

describe("DELETE /account/licenses/{id}/machines/{machine_id}", () => {
  it("frees the seat at once: a full license takes a new machine, and the freed one validates as not_activated", async () => {
    const u = await userWithTwoCustomers();
    const { id, key } = await issueTestLicense({ customerId: (await insertCustomer({ logtoUserId: u.sub })).id });
    const machines = [randomMachineId(), randomMachineId(), randomMachineId()];
    for (const m of machines) expect((await activate(key, m)).status).toBe(200);
    expect(expectProblem(await problemOf(activate(key)), 409, "activation_limit_reached").ok).toBe(true);

    const res = await expectStatus(freeFor(u.sub, id, machines[0]!), 200);
    expect(res.json).toEqual({ deactivated: true });
    expect((await activationsOf(id)).map((a) => a.machineId).sort()).toEqual([machines[1], machines[2]].sort());
    expect(await deactivationsOf(id)).toEqual([expect.objectContaining({ machineId: machines[0] })]);

    // The dead laptop, should it come back: its next validate says it holds no seat.
    expect((await expectStatus(validate(key, machines[0]!), 200)).json).toMatchObject({
      valid: false,
      code: "not_activated",
    });
    expect((await activate(key)).status).toBe(200);
    expect(await activationsOf(id)).toHaveLength(3);
    // Listing shows the seats as they are now.
    const listed = (await expectStatus(listFor(u.sub), 200)).json;
    expect(listed.licenses.find((l) => l.id === id)!.machines.map((m) => m.machine_id)).not.toContain(machines[0]);
  });

  it("is idempotent: a machine without a seat is 200 and not counted", async () => {
    const u = await userWithTwoCustomers();
    const res = await expectStatus(freeFor(u.sub, u.older.id, randomMachineId()), 200);
    expect(res.json).toEqual({ deactivated: true });
    expect(await deactivationsOf(u.older.id)).toEqual([]);
  });

  it("counts toward DEACTIVATION_LIMIT together with POST /licenses/deactivate: the 4th in 30 days is 429 and the seat stays", async () => {
    const u = await userWithTwoCustomers();
    const { id, key } = u.older;
    for (let i = 0; i < 2; i++) {
      const m = randomMachineId();
      await activate(key, m);
      expect((await api.licenses.deactivate.$post({ header: {}, json: { key, machine_id: m } })).status).toBe(200);
    }
    const third = randomMachineId();
    await activate(key, third);
    expect((await freeFor(u.sub, id, third)).status).toBe(200);
    const fourth = randomMachineId();
    await activate(key, fourth);
    const refused = await problemOf(freeFor(u.sub, id, fourth));
    expect(expectProblem(refused, 429, "deactivation_limit_reached").ok).toBe(true);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.json).toMatchObject({ limit: 3 });
    expect((await activationsOf(id)).map((a) => a.machineId)).toEqual([fourth]);
    expect(await deactivationsOf(id)).toHaveLength(3);
  });

  it("another user's license is 404 not_found, the same answer as a license that does not exist, and frees nothing", async () => {
    const owner = await userWithTwoCustomers();
    const machineId = randomMachineId();
    await activate(owner.older.key, machineId);
    const intruder = `logto_${randomSuffix()}`;

    const theirs = await problemOf(freeFor(intruder, owner.older.id, machineId));
    const missing = await problemOf(freeFor(intruder, "lic_doesnotexist0000000", machineId));
    expect(expectProblem(theirs, 404, "not_found").ok).toBe(true);
    expect(expectProblem(missing, 404, "not_found").ok).toBe(true);
    // The same answer but for the request's own id.
    expect({ ...theirs.json, request_id: undefined }).toEqual({ ...missing.json, request_id: undefined });
    expect(await activationsOf(owner.older.id)).toHaveLength(1);
    expect(await deactivationsOf(owner.older.id)).toEqual([]);
    expect((await expectStatus(validate(owner.older.key, machineId), 200)).json).toMatchObject({
      valid: true,
      code: "valid",
    });
  });

  it("rejects a bad machine_id (422) and a missing token (401 invalid_token)", async () => {
    const u = await userWithTwoCustomers();
    expect(expectProblem(await problemOf(freeFor(u.sub, u.older.id, "short")), 422, "validation_failed").ok).toBe(true);
    const anonymous = await problemOf(
      api.account.licenses[":id"].machines[":machine_id"].$delete({
        param: { id: u.older.id, machine_id: randomMachineId() },
      }),
    );
    expect(expectProblem(anonymous, 401, "invalid_token").ok).toBe(true);
  });
});

// The parts of the document read here. /openapi.json is served beside the typed routes (app.ts), not as one
// of them, so it is fetched raw and its shape checked by parsing rather than assumed by a cast.
const OpenApiPaths = z.object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) });
const Operation = z.looseObject({ responses: z.record(z.string(), z.unknown()), security: z.unknown() });

describe("the OpenAPI document", () => {
  it("describes the recovery and account endpoints, with their declared problems", async () => {
    const raw = await call("GET", "/openapi.json");
    expect(raw.status).toBe(200);
    const { paths } = OpenApiPaths.parse(raw.json);
    expect(Object.keys(paths["/licenses/recover"]!)).toEqual(["post"]);
    expect(Object.keys(paths["/account/licenses"]!)).toEqual(["get"]);
    const free = Operation.parse(paths["/account/licenses/{id}/machines/{machine_id}"]?.delete);
    expect(Object.keys(free.responses)).toEqual(expect.arrayContaining(["200", "401", "404", "422", "429"]));
    expect(free.security).toEqual([{ logtoBearer: [] }]);
  });
});
