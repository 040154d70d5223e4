import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app";
import { TEST_INTERNAL_KEYS } from "../bindings";
import { call, expectProblem } from "../support/http";
import { issueTestLicense, randomEmail } from "../support/factories";
import { currentSigningKey, tamperKey } from "../support/licenses";

const body = () => ({ email: randomEmail(), product: "simpl-resultat", tier: "base", duration_days: 30 });
const generateWith = (authorization?: string) =>
  call("POST", "/licenses/generate", {
    body: body(),
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });

function expectUnauthorized(res: Awaited<ReturnType<typeof call>>) {
  expect(expectProblem(res, 401, "unauthorized").ok, res.text).toBe(true);
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
      expectUnauthorized(await generateWith(authorization));
    }
  });

  it("K2: both configured keys work (rotation); the scheme is case-insensitive", async () => {
    for (const key of TEST_INTERNAL_KEYS) expect((await generateWith(`Bearer ${key}`)).status).toBe(201);
    expect((await generateWith(`bearer ${TEST_INTERNAL_KEYS[0]}`)).status).toBe(201);
  });

  it("K2: a key removed from INTERNAL_API_KEYS stops working", async () => {
    const [current, previous] = TEST_INTERNAL_KEYS as [string, string];
    const app = createApp();
    const rotated = { ...env, INTERNAL_API_KEYS: current };
    const send = (key: string) =>
      app.fetch(
        new Request("http://maximus.test/licenses/generate", {
          method: "POST",
          headers: { Authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify(body()),
        }),
        rotated,
        createExecutionContext(),
      );
    expect((await send(current)).status).toBe(201);
    const removed = await send(previous);
    expect(removed.status).toBe(401);
    expect(((await removed.json()) as { code: string }).code).toBe("unauthorized");
  });

  it("K3: logs and error bodies never carry Authorization values, license keys or private keys", async () => {
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const wrongKey = `wrong-${crypto.randomUUID()}`;
    const unauthorized = await generateWith(`Bearer ${wrongKey}`);
    const generated = await generateWith(`Bearer ${TEST_INTERNAL_KEYS[1]}`);
    const { key } = await issueTestLicense();
    const forged = tamperKey(key, { sub: "lic_someone_else" });
    const bodies = [
      unauthorized.text,
      (await call("POST", "/licenses/activate", { body: { key: forged, machine_id: "machine-0123456789abcdef" } }))
        .text,
      (await call("POST", "/licenses/validate", { body: { key: forged } })).text,
      (await call("POST", "/licenses/deactivate", { body: { key: forged, machine_id: "machine-0123456789abcdef" } }))
        .text,
    ];
    vi.restoreAllMocks();

    expect(generated.status).toBe(201);
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
