import { afterEach, describe, expect, it, vi } from "vitest";
import { TEST_INTERNAL_KEYS } from "../bindings";
import { issueTestLicense, randomEmail, randomMachineId } from "../support/factories";
import { api, apiWithEnv, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";
import { activationsOf } from "../support/licenses";

// L6 / issue 12 item 3: guessing and flooding are limited per client IP (120 a minute, wrangler.toml)
// before any work, and per license id (30 a minute) once a key verifies.
const ipOf = () => `203.0.113.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`;
const randomKey = () => `SR-BASE-guess-${crypto.randomUUID()}`;
function statusCounts(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

const fromIp = (ip: string) => ({ headers: { "CF-Connecting-IP": ip } });
const validate = (key: string, ip: string) => api.licenses.validate.$post({ header: {}, json: { key } }, fromIp(ip));

async function expectRateLimited(answer: Parameters<typeof problemOf>[0]) {
  const res = await problemOf(answer);
  expect(expectProblem(res, 429, "rate_limited").ok, JSON.stringify(res.json)).toBe(true);
  expect(res.headers.get("retry-after")).toBe("60");
  expect(res.json).toEqual({
    type: expect.any(String),
    title: "Too many requests",
    status: 429,
    detail: "Too many requests. Please retry later.",
    code: "rate_limited",
    request_id: res.headers.get("x-request-id"),
  });
}

describe("rate limits per client IP (Cloudflare Rate Limiting binding)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("3: validate with a fresh random key each time from one IP: the 121st and later get 429 rate_limited", async () => {
    const ip = ipOf();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof validate>> | null = null;
    for (let i = 0; i < 130; i++) {
      const res = await validate(randomKey(), ip);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
      else expect(await res.json()).toMatchObject({ valid: false, code: "invalid" });
    }
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(120).every((s) => s === 429)).toBe(true);
    await expectRateLimited(limited!);
    // Another client is not affected.
    expect((await validate(randomKey(), ipOf())).status).toBe(200);
  });

  it("3: requests without a usable body (malformed JSON) count per IP too", async () => {
    const ip = ipOf();
    // Bytes that are not JSON: what no typed client sends.
    const statuses = await Promise.all(
      Array.from({ length: 124 }, () =>
        call("POST", "/licenses/deactivate", {
          rawBody: "{not json",
          headers: { "CF-Connecting-IP": ip, "content-type": "application/json" },
        }),
      ),
    );
    expect(statusCounts(statuses.map((r) => r.status))).toEqual({ 400: 120, 429: 4 });
  });

  it("3: /health is limited per client IP", async () => {
    const ip = ipOf();
    const statuses = await Promise.all(Array.from({ length: 123 }, () => api.health.$get({}, fromIp(ip))));
    expect(statusCounts(statuses.map((r) => r.status))).toEqual({ 200: 120, 429: 3 });
    await expectRateLimited(statuses.find((r) => r.status === 429)!);
  });

  it("3: failed internal-key attempts count per IP (then 429); a valid key is never counted or refused", async () => {
    const ip = ipOf();
    const json = { email: randomEmail(), product: "simpl-resultat", tier: "base", duration_days: 30 } as const;
    const ok = { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}`, "CF-Connecting-IP": ip };
    for (let i = 0; i < 130; i++)
      expect((await api.licenses.generate.$post({ json }, { headers: ok })).status).toBe(201);
    const events = (headers: Record<string, string>) => api.admin.events.$get({ query: {} }, { headers });
    const statuses = await Promise.all(
      Array.from({ length: 123 }, (_, i) => events({ Authorization: `Bearer wrong-${i}`, "CF-Connecting-IP": ip })),
    );
    expect(statusCounts(statuses.map((r) => r.status))).toEqual({ 401: 120, 429: 3 });
    await expectRateLimited(statuses.find((r) => r.status === 429)!);
    expect((await events(ok)).status).toBe(200);
  });

  it("3: rejected Logto tokens count per IP (then 429)", async () => {
    const { useLogto } = await import("../support/fakes/logto");
    await useLogto();
    const ip = ipOf();
    const statuses = await Promise.all(
      Array.from({ length: 122 }, () =>
        api.subscriptions.status.$get(
          { query: { product: "simpl-resultat" } },
          { headers: { Authorization: "Bearer not.a.jwt", "CF-Connecting-IP": ip } },
        ),
      ),
    );
    expect(statusCounts(statuses.map((r) => r.status))).toEqual({ 401: 120, 429: 2 });
  });

  it("3: a missing limiter binding is a clear 503 misconfigured naming the binding, never a TypeError", async () => {
    const errors = vi.spyOn(console, "error");
    const res = await problemOf(apiWithEnv({ IP_RATE_LIMITER: undefined }).health.$get());
    expect(expectProblem(res, 503, "misconfigured").ok, JSON.stringify(res.json)).toBe(true);
    const logged = errors.mock.calls.map((args) => args.join(" ")).join("\n");
    expect(logged).toContain("IP_RATE_LIMITER");
    expect(logged).not.toContain("TypeError");
  });
});

describe("rate limits per license id, once the key verifies", () => {
  it("3: one genuine key from many IPs, padded or not, shares one bucket of 30 a minute", async () => {
    const { id, key } = await issueTestLicense();
    const variants = [key, ` ${key}`, `${key}  `, `\n${key}\t`];
    const results = await Promise.all(
      Array.from({ length: 35 }, (_, i) => validate(variants[i % variants.length]!, ipOf())),
    );
    expect(statusCounts(results.map((r) => r.status))).toEqual({ 200: 30, 429: 5 });
    const codes: string[] = [];
    for (const r of results) if (r.status === 200) codes.push((await r.json()).code);
    expect(codes.every((c) => c === "valid")).toBe(true);
    await expectRateLimited(results.find((r) => r.status === 429)!);
    // A refused activate creates no seat.
    await expectRateLimited(
      api.licenses.activate.$post({ header: {}, json: { key, machine_id: randomMachineId() } }, fromIp(ipOf())),
    );
    expect(await activationsOf(id)).toHaveLength(0);
  });
});

describe("rate limits on the account endpoints", () => {
  it("GET /subscriptions/status is limited per signed-in user (60 a minute), with 429 rate_limited and Retry-After", async () => {
    const { bearer, signAccessToken, useLogto } = await import("../support/fakes/logto");
    await useLogto();
    const sub = `logto_${crypto.randomUUID()}`;
    const headers = bearer(await signAccessToken({ sub }));
    const statuses: number[] = [];
    const status = (headers: Record<string, string>) => api.subscriptions.status.$get({ query: {} }, { headers });
    for (let i = 0; i < 62; i++) statuses.push((await status(headers)).status);
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true); // no subscription: but answered
    expect(statuses.slice(60)).toEqual([429, 429]);
    const other = bearer(await signAccessToken({ sub: `${sub}-other` }));
    expect((await status(other)).status).toBe(404);
  });
});
