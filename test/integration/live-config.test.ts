import { afterEach, describe, expect, it, vi } from "vitest";
import { api, apiWithEnv } from "../support/api";
import { callWithEnv, expectProblem } from "../support/http";
import { liveEnv, SAFE_LIVE } from "../support/live-env";

// Issue 12 item 4: with live Stripe keys, an unsafe configuration refuses to serve at all.

describe("live configuration that cannot leak", () => {
  afterEach(() => vi.restoreAllMocks());

  it("4: live mode without RESEND_API_KEY and with a short internal key: every request is 503 misconfigured; the log names the variables, never their values", async () => {
    const errors = vi.spyOn(console, "error");
    const shortKey = "short-but-secret-internal";
    const env = liveEnv({ RESEND_API_KEY: undefined, INTERNAL_API_KEYS: shortKey });
    for (const [method, path, body] of [
      ["GET", "/health", undefined],
      ["POST", "/licenses/validate", { key: "SR-BASE-x" }],
      ["POST", "/licenses/generate", { email: "a@b.test" }],
    ] as const) {
      // One loop over several methods and paths: raw requests, each read as a problem.
      const res = await callWithEnv(env, method, path, { body, headers: { Authorization: `Bearer ${shortKey}` } });
      expect(expectProblem(res, 503, "misconfigured").ok, `${method} ${path}: ${res.text}`).toBe(true);
      expect(res.text).not.toContain("RESEND_API_KEY");
    }
    const logged = errors.mock.calls.map((args) => args.join(" ")).join("\n");
    expect(logged).toContain("RESEND_API_KEY, INTERNAL_API_KEYS");
    expect(logged).not.toContain(shortKey);
  });

  it("4: a safe live configuration serves normally; the test configuration is not live", async () => {
    expect((await apiWithEnv(liveEnv()).health.$get()).status).toBe(200);
    expect((await api.health.$get()).status).toBe(200);
  });

  it("console (issue 28): live mode requires ACCESS_TEAM_DOMAIN, ACCESS_AUD and PUBLIC_ORIGINS, and names on every internal key", async () => {
    const errors = vi.spyOn(console, "error");
    const bare = "live-internal-key-0123456789abcdefghij-bare";
    const env = liveEnv({
      ACCESS_TEAM_DOMAIN: undefined,
      ACCESS_AUD: "",
      PUBLIC_ORIGINS: undefined,
      INTERNAL_API_KEYS: `${SAFE_LIVE.INTERNAL_API_KEYS},${bare}`,
    });
    // /console is an HTML page, outside the typed client's routes: both paths are requested raw.
    for (const path of ["/health", "/console"]) {
      const res = await callWithEnv(env, "GET", path);
      expect(expectProblem(res, 503, "misconfigured").ok, `${path}: ${res.text}`).toBe(true);
    }
    const logged = errors.mock.calls.map((args) => args.join(" ")).join("\n");
    expect(logged).toContain("INTERNAL_API_KEYS, ACCESS_TEAM_DOMAIN, ACCESS_AUD, PUBLIC_ORIGINS");
    expect(logged).not.toContain(bare);
    // The same deployment with the three set and the bare key named serves.
    expect((await apiWithEnv(liveEnv()).health.$get()).status).toBe(200);
  });
});
