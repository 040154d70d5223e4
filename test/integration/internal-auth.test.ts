import { afterEach, describe, expect, it, vi } from "vitest";
import { TEST_INTERNAL_KEYS } from "../bindings";
import { api, apiWithEnv, expectStatus, problemOf } from "../support/api";
import { expectProblem } from "../support/http";
import { issueTestLicense, randomEmail } from "../support/factories";
import { currentSigningKey, tamperKey } from "../support/licenses";

const body = () => ({
  email: randomEmail(),
  product: "simpl-resultat" as const,
  tier: "base" as const,
  duration_days: 30,
});
const generateWith = (authorization?: string, client = api) =>
  client.licenses.generate.$post(
    { json: body() },
    { headers: authorization === undefined ? {} : { Authorization: authorization } },
  );

async function expectUnauthorized(answer: ReturnType<typeof generateWith>) {
  const res = await problemOf(answer);
  expect(expectProblem(res, 401, "unauthorized").ok, JSON.stringify(res.json)).toBe(true);
  expect(res.headers.get("www-authenticate")).toBe("Bearer");
}

describe("internal API key (Authorization: Bearer)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("K1: missing, malformed or wrong keys are 401 unauthorized, never 500, whatever their length", async () => {
    const [current] = TEST_INTERNAL_KEYS as [string, string];
    for (const authorization of [
      undefined,
      "",
      "Bearer",
      "Bearer ",
      `Basic ${btoa(`user:${current}`)}`,
      `Bearer ${current.slice(0, -1)}x`, // same length
      `Bearer ${current.slice(0, 5)}`, // shorter
      `Bearer ${current}${current}`, // longer
      `Bearer ${"k".repeat(4000)}`, // huge
      `Bearer ${current} extra`,
      `Bearer ${current.toUpperCase()}`,
      "Bearer ☃☃☃",
    ]) {
      await expectUnauthorized(generateWith(authorization));
    }
  });

  it("K2: both configured keys work (rotation); the scheme is case-insensitive", async () => {
    for (const key of TEST_INTERNAL_KEYS) await expectStatus(generateWith(`Bearer ${key}`), 201);
    await expectStatus(generateWith(`bearer ${TEST_INTERNAL_KEYS[0]}`), 201);
  });

  it("K2: a key removed from INTERNAL_API_KEYS stops working", async () => {
    const [current, previous] = TEST_INTERNAL_KEYS as [string, string];
    const rotated = apiWithEnv({ INTERNAL_API_KEYS: current });
    await expectStatus(generateWith(`Bearer ${current}`, rotated), 201);
    await expectUnauthorized(generateWith(`Bearer ${previous}`, rotated));
  });

  it("K3: logs and error bodies never carry Authorization values, license keys or private keys", async () => {
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const wrongKey = `wrong-${crypto.randomUUID()}`;
    const unauthorized = await generateWith(`Bearer ${wrongKey}`);
    const generated = await expectStatus(generateWith(`Bearer ${TEST_INTERNAL_KEYS[1]}`), 201);
    const { key } = await issueTestLicense();
    const forged = tamperKey(key, { sub: "lic_someone_else" });
    const seat = { key: forged, machine_id: "machine-0123456789abcdef" };
    const bodies = [
      await unauthorized.text(),
      await (await api.licenses.activate.$post({ header: {}, json: seat })).text(),
      await (await api.licenses.validate.$post({ header: {}, json: { key: forged } })).text(),
      await (await api.licenses.deactivate.$post({ header: {}, json: seat })).text(),
    ];
    vi.restoreAllMocks();

    expect(lines.length).toBeGreaterThan(0);
    const secrets = [
      wrongKey,
      ...TEST_INTERNAL_KEYS,
      currentSigningKey().d!,
      key.slice(8),
      forged.slice(8),
      generated.json.key.slice(8),
    ];
    for (const text of [...lines, ...bodies]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
