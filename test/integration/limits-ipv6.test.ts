// Issue 22 item 8: the per-IP limiter groups IPv6 addresses by /64. One customer's network is one
// client, and an attacker's /64 (2^64 addresses) is one client too, not 2^64 fresh buckets.
import { describe, expect, it } from "vitest";
import { api, problemOf } from "../support/api";
import { expectProblem } from "../support/http";

const hex = () => Math.floor(Math.random() * 0xffff).toString(16);
/** A /64 of the documentation range 2001:db8::/32, random for this test. */
const randomPrefix = () => `2001:db8:${hex()}:${hex()}`;
const inPrefix = (prefix: string) => `${prefix}:${hex()}:${hex()}:${hex()}:${hex()}`;
const validate = (ip: string) =>
  api.licenses.validate.$post(
    { header: {}, json: { key: `SR-BASE-guess-${crypto.randomUUID()}` } },
    { headers: { "CF-Connecting-IP": ip } },
  );

describe("per-IP limit and IPv6", () => {
  it("8: 130 requests from 130 addresses of one /64 count as one client: the 121st and later get 429 rate_limited", async () => {
    const prefix = randomPrefix();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof problemOf>> | null = null;
    for (let i = 0; i < 130; i++) {
      const res = await validate(inPrefix(prefix));
      statuses.push(res.status);
      if (res.status === 429) limited ??= await problemOf(res);
    }
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(120).every((s) => s === 429)).toBe(true);
    expect(expectProblem(limited!, 429, "rate_limited").ok).toBe(true);
    // The same /64 written another way (compressed zeros, upper case) is the same client.
    expect((await validate(`${prefix.toUpperCase()}::1`)).status).toBe(429);
    // The neighbouring /64 is another client.
    expect((await validate(inPrefix(randomPrefix()))).status).toBe(200);
  });

  it("8: an IPv4 address stays one client of its own", async () => {
    const v4 = `192.0.2.${Math.floor(Math.random() * 250)}`;
    const suffix = crypto.randomUUID(); // keeps this test's IPv4 bucket its own across runs
    const ip = `${v4}-${suffix}`;
    for (let i = 0; i < 120; i++) expect((await validate(ip)).status).toBe(200);
    expect((await validate(ip)).status).toBe(429);
  });
});
