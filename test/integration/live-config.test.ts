import { afterEach, describe, expect, it, vi } from "vitest";
import { api, apiWithEnv } from "../support/api";
import { callWithEnv, expectProblem } from "../support/http";

// Issue 12 item 4: with live Stripe keys, an unsafe configuration refuses to serve at all.
const LIVE = {
  STRIPE_SECRET_KEY: "sk_live_only_a_test_value",
  STRIPE_LIVEMODE: undefined,
  INTERNAL_API_KEYS: "ops:live-internal-key-0123456789abcdefghij",
  CHECKOUT_SUCCESS_URL: "https://maximus.test/ok?session_id={CHECKOUT_SESSION_ID}",
  CHECKOUT_CANCEL_URL: "https://maximus.test/cancel",
  BILLING_PORTAL_RETURN_URL: "https://maximus.test/account",
};

describe("live configuration that cannot leak", () => {
  afterEach(() => vi.restoreAllMocks());

  it("4: live mode without RESEND_API_KEY and with a short internal key: every request is 503 misconfigured; the log names the variables, never their values", async () => {
    const errors = vi.spyOn(console, "error");
    const shortKey = "short-but-secret-internal";
    const env = { ...LIVE, RESEND_API_KEY: undefined, INTERNAL_API_KEYS: shortKey } as unknown as Partial<Env>;
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
    expect((await apiWithEnv(LIVE as unknown as Partial<Env>).health.$get()).status).toBe(200);
    expect((await api.health.$get()).status).toBe(200);
  });

  it("console (issue 28): live mode requires ACCESS_TEAM_DOMAIN, ACCESS_AUD and PUBLIC_ORIGINS, and names on every internal key", async () => {
    const errors = vi.spyOn(console, "error");
    const bare = "live-internal-key-0123456789abcdefghij-bare";
    const env = {
      ...LIVE,
      ACCESS_TEAM_DOMAIN: undefined,
      ACCESS_AUD: "",
      PUBLIC_ORIGINS: undefined,
      INTERNAL_API_KEYS: `${LIVE.INTERNAL_API_KEYS},${bare}`,
    } as unknown as Partial<Env>;
    // /console is an HTML page, outside the typed client's routes: both paths are requested raw.
    for (const path of ["/health", "/console"]) {
      const res = await callWithEnv(env, "GET", path);
      expect(expectProblem(res, 503, "misconfigured").ok, `${path}: ${res.text}`).toBe(true);
    }
    const logged = errors.mock.calls.map((args) => args.join(" ")).join("\n");
    expect(logged).toContain("INTERNAL_API_KEYS, ACCESS_TEAM_DOMAIN, ACCESS_AUD, PUBLIC_ORIGINS");
    expect(logged).not.toContain(bare);
    // The same deployment with the three set and the bare key named serves.
    const fixed = { ...LIVE } as unknown as Partial<Env>;
    expect((await apiWithEnv(fixed).health.$get()).status).toBe(200);
  });
});
