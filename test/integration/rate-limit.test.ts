import { describe, expect, it } from "vitest";
import { call } from "../support/http";

// L6: key guessing or flooding activate/validate. The limit is 30 per minute per key (wrangler.toml).
describe("rate limits (Cloudflare Rate Limiting binding)", () => {
  it("L6: flooding validate with one key gets 429 rate_limited with Retry-After, the same body for every key", async () => {
    const key = `SR-BASE-guess-${crypto.randomUUID()}`;
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof call>> | null = null;
    for (let i = 0; i < 40; i++) {
      const res = await call("POST", "/licenses/validate", { body: { key } });
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    expect(limited!.headers.get("retry-after")).toBe("60");
    expect(limited!.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(limited!.json).toEqual({
      type: expect.any(String),
      title: "Too many requests",
      status: 429,
      detail: "Too many requests. Please retry later.",
      code: "rate_limited",
    });
    // Another key is not affected: the limit is per key, wherever the requests come from.
    expect((await call("POST", "/licenses/validate", { body: { key: `${key}-other` } })).status).toBe(200);
  });

  it("L6: the same key flooded from many IPs is still limited (keyed on a hash of the key)", async () => {
    const key = `SR-BASE-guess-${crypto.randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 35 }, (_, i) => call("POST", "/licenses/activate", { body: { key, machine_id: "m".repeat(20) }, headers: { "CF-Connecting-IP": `203.0.113.${i}` } })),
    );
    expect(results.filter((r) => r.status === 429)).toHaveLength(5);
    expect(results.filter((r) => r.status === 401).every((r) => r.json.code === "invalid_license")).toBe(true);
  });

  it("L6: requests without a key are limited per client IP", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}-${crypto.randomUUID()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      statuses.push((await call("POST", "/licenses/deactivate", { rawBody: "{not json", headers: { "CF-Connecting-IP": ip } })).status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});

describe("rate limits on the account endpoints", () => {
  it("GET /subscriptions/status is limited per signed-in user (60 a minute), with 429 rate_limited and Retry-After", async () => {
    const { bearer, signAccessToken, useLogto } = await import("../support/fakes/logto");
    await useLogto();
    const sub = `logto_${crypto.randomUUID()}`;
    const headers = bearer(await signAccessToken({ sub }));
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++) statuses.push((await call("GET", "/subscriptions/status", { headers })).status);
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true); // no subscription: but answered
    expect(statuses.slice(60)).toEqual([429, 429]);
    const other = bearer(await signAccessToken({ sub: `${sub}-other` }));
    expect((await call("GET", "/subscriptions/status", { headers: other })).status).toBe(404);
  });
});
