import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

describe("loadConfig", () => {
  const liveUrls = {
    CHECKOUT_SUCCESS_URL: "https://maximus.test/ok?session_id={CHECKOUT_SESSION_ID}",
    CHECKOUT_CANCEL_URL: "https://maximus.test/cancel",
    BILLING_PORTAL_RETURN_URL: "https://maximus.test/account",
  };

  it("reads the Stripe mode from the secret key unless STRIPE_LIVEMODE overrides it", () => {
    const mode = (over: Record<string, string | undefined>) => loadConfig({ ...env, ...liveUrls, STRIPE_LIVEMODE: undefined, ...over }).stripeLivemode;
    expect(mode({ STRIPE_SECRET_KEY: "sk_live_abc" })).toBe(true);
    expect(mode({ STRIPE_SECRET_KEY: "rk_live_abc" })).toBe(true);
    expect(mode({ STRIPE_SECRET_KEY: "sk_test_abc" })).toBe(false);
    expect(mode({ STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_LIVEMODE: "false" })).toBe(false);
    expect(mode({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_LIVEMODE: "true" })).toBe(true);
  });

  it("splits comma-separated secrets for rotation and applies the documented defaults", () => {
    const config = loadConfig({ ...env, INTERNAL_API_KEYS: " a-key , b-key ,", ACTIVATION_LIMIT: undefined, OFFLINE_GRACE_DAYS: "" } as unknown as typeof env);
    expect(config.internalApiKeys).toEqual(["a-key", "b-key"]);
    expect(config.activationLimit).toBe(3);
    expect(config.offlineGraceDays).toBe(7);
  });

  it("in live mode requires the checkout and portal return URLs instead of the placeholders", () => {
    const live = { ...env, STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_LIVEMODE: undefined };
    const missing = (() => {
      try {
        loadConfig({ ...live, CHECKOUT_CANCEL_URL: liveUrls.CHECKOUT_CANCEL_URL });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.variables).toEqual(["CHECKOUT_SUCCESS_URL", "BILLING_PORTAL_RETURN_URL"]);
    expect(loadConfig({ ...live, ...liveUrls }).checkoutCancelUrl).toBe(liveUrls.CHECKOUT_CANCEL_URL);
    expect(loadConfig({ ...env, STRIPE_LIVEMODE: "false" }).checkoutCancelUrl).toBe("https://maximus.example/checkout/cancel");
  });

  it("names the broken variables, never their values", () => {
    const broken = { ...env, DATABASE_URL: "", ACTIVATION_LIMIT: "three", STRIPE_SECRET_KEY: "" };
    const err = (() => {
      try {
        loadConfig(broken);
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.variables.sort()).toEqual(["ACTIVATION_LIMIT", "DATABASE_URL", "STRIPE_SECRET_KEY"]);
    expect(err.message).not.toContain("three");
  });
});
