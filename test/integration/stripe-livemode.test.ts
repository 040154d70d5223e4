// Issue 22 item 7: a live configuration cannot be talked out of its checks. STRIPE_LIVEMODE is exactly
// `true` or `false`, and it may not contradict the Stripe key's prefix; a live key always gets the live checks.
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, apiWithEnv, expectStatus, problemOf } from "../support/api";
import { expectProblem } from "../support/http";
import { asEnv, SAFE_LIVE } from "../support/live-env";

// Bindings as a misconfigured deployment has them (a non-boolean STRIPE_LIVEMODE, a removed key): not Env's types.
const healthWith = (over: Record<string, unknown>) => apiWithEnv(asEnv(over)).health.$get();

/** /health under these bindings, read as a problem, with its text for a failure's message. */
const health = (over: Record<string, unknown>) => problemOf(healthWith(over));

const loggedConfigErrors = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls
    .map((args) => args.join(" "))
    .filter((line) => line.includes("configuration error"))
    .join("\n");

describe("STRIPE_LIVEMODE", () => {
  afterEach(() => vi.restoreAllMocks());

  it("7: TRUE (not exactly true) with a live key is 503 misconfigured; the log names STRIPE_LIVEMODE, the body names nothing", async () => {
    const errors = vi.spyOn(console, "error");
    // Unsafe for live (no email provider): before, "TRUE" silently meant test mode and skipped the live checks.
    const res = await health({ ...SAFE_LIVE, STRIPE_LIVEMODE: "TRUE", RESEND_API_KEY: undefined });
    expect(expectProblem(res, 503, "misconfigured").ok, res.text).toBe(true);
    expect(res.text).not.toContain("STRIPE_LIVEMODE");
    expect(loggedConfigErrors(errors)).toContain("STRIPE_LIVEMODE");
  });

  it("7: anything but true/false is a configuration error, whatever the key", async () => {
    for (const value of ["yes", "1", "True", " true", ""]) {
      const errors = vi.spyOn(console, "error");
      const res = await health({ STRIPE_LIVEMODE: value });
      expect(expectProblem(res, 503, "misconfigured").ok, `${JSON.stringify(value)}: ${res.text}`).toBe(true);
      expect(loggedConfigErrors(errors)).toContain("STRIPE_LIVEMODE");
      vi.restoreAllMocks();
    }
  });

  it("7: a value that contradicts the key's prefix refuses to serve (false with a live key, true with a test key)", async () => {
    for (const over of [
      { ...SAFE_LIVE, STRIPE_LIVEMODE: "false" },
      { ...SAFE_LIVE, STRIPE_SECRET_KEY: "rk_live_only_a_test_value", STRIPE_LIVEMODE: "false" },
      { STRIPE_SECRET_KEY: "sk_test_only_fake", STRIPE_LIVEMODE: "true" },
    ]) {
      const errors = vi.spyOn(console, "error");
      const res = await health(over);
      expect(expectProblem(res, 503, "misconfigured").ok, `${JSON.stringify(over)}: ${res.text}`).toBe(true);
      expect(loggedConfigErrors(errors)).toContain("STRIPE_LIVEMODE");
      vi.restoreAllMocks();
    }
  });

  it("7: a live key always gets the live checks: agreeing STRIPE_LIVEMODE=true serves when safe, and is refused when not", async () => {
    await expectStatus(healthWith({ ...SAFE_LIVE, STRIPE_LIVEMODE: "true" }), 200);
    await expectStatus(healthWith(SAFE_LIVE), 200);
    const unsafe = await health({ ...SAFE_LIVE, STRIPE_LIVEMODE: "true", RESEND_API_KEY: undefined });
    expect(expectProblem(unsafe, 503, "misconfigured").ok, unsafe.text).toBe(true);
    // The tests' own configuration (a test key, STRIPE_LIVEMODE=false) keeps serving.
    await expectStatus(api.health.$get(), 200);
  });
});
