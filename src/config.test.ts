import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import devVarsExample from "../.dev.vars.example?raw";
import wranglerToml from "../wrangler.toml?raw";
import { ConfigError, loadConfig } from "./config";
import { PUBLISHED_DEV_VALUES } from "./published-dev-values";

const LIVE_INTERNAL_KEY = "ops:live-internal-key-0123456789abcdefghij";
const liveUrls = {
  CHECKOUT_SUCCESS_URL: "https://maximus.test/ok?session_id={CHECKOUT_SESSION_ID}",
  CHECKOUT_CANCEL_URL: "https://maximus.test/cancel",
  BILLING_PORTAL_RETURN_URL: "https://maximus.test/account",
};

function configErrorOf(over: Record<string, unknown>): ConfigError | null {
  try {
    loadConfig({ ...env, ...over } as unknown as typeof env);
    return null;
  } catch (e) {
    return e as ConfigError;
  }
}

describe("loadConfig", () => {
  it("reads the Stripe mode from the secret key; STRIPE_LIVEMODE speaks only for a key whose prefix says nothing", () => {
    const mode = (over: Record<string, string | undefined>) =>
      loadConfig({ ...env, ...liveUrls, STRIPE_LIVEMODE: undefined, INTERNAL_API_KEYS: LIVE_INTERNAL_KEY, ...over })
        .stripeLivemode;
    expect(mode({ STRIPE_SECRET_KEY: "sk_live_abc" })).toBe(true);
    expect(mode({ STRIPE_SECRET_KEY: "rk_live_abc" })).toBe(true);
    expect(mode({ STRIPE_SECRET_KEY: "sk_test_abc" })).toBe(false);
    expect(mode({ STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_LIVEMODE: "true" })).toBe(true);
    expect(mode({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_LIVEMODE: "false" })).toBe(false);
    expect(mode({ STRIPE_SECRET_KEY: "sk_org_abc", STRIPE_LIVEMODE: "true" })).toBe(true);
    // A live key keeps its live checks: the rest of this (test) configuration is refused too.
    expect(configErrorOf({ STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_LIVEMODE: "false" })?.variables).toContain(
      "STRIPE_LIVEMODE",
    );
    expect(configErrorOf({ STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_LIVEMODE: "true" })?.variables).toEqual([
      "STRIPE_LIVEMODE",
    ]);
    expect(configErrorOf({ STRIPE_LIVEMODE: "TRUE" })?.variables).toEqual(["STRIPE_LIVEMODE"]);
  });

  it("splits comma-separated secrets for rotation and applies the documented defaults", () => {
    const config = loadConfig({
      ...env,
      INTERNAL_API_KEYS: " a-key , b-key ,",
      ACTIVATION_LIMIT: undefined,
      OFFLINE_GRACE_DAYS: "",
    } as unknown as typeof env);
    expect(config.internalApiKeys.map((k) => k.secret)).toEqual(["a-key", "b-key"]);
    expect(config.activationLimit).toBe(3);
    expect(config.offlineGraceDays).toBe(7);
  });

  it("in live mode requires the checkout and portal return URLs instead of the placeholders", () => {
    const live = {
      ...env,
      STRIPE_SECRET_KEY: "sk_live_abc",
      STRIPE_LIVEMODE: undefined,
      INTERNAL_API_KEYS: LIVE_INTERNAL_KEY,
    };
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
    expect(loadConfig({ ...env, STRIPE_LIVEMODE: "false" }).checkoutCancelUrl).toBe(
      "https://maximus.example/checkout/cancel",
    );
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

  it("4: a live (sk_live_) configuration is refused, by variable name, without RESEND_API_KEY, with a published dev secret, a short internal key or rate limiting off", () => {
    const live = {
      STRIPE_SECRET_KEY: "sk_live_only_a_test_value",
      STRIPE_LIVEMODE: undefined,
      INTERNAL_API_KEYS: LIVE_INTERNAL_KEY,
      ...liveUrls,
    };
    expect(configErrorOf(live)).toBeNull();
    const refusal = (over: Record<string, unknown>) => configErrorOf({ ...live, ...over });
    expect(refusal({ RESEND_API_KEY: undefined })?.variables).toEqual(["RESEND_API_KEY"]);
    expect(refusal({ RESEND_API_KEY: "" })?.variables).toEqual(["RESEND_API_KEY"]);
    const devSigningKey = devVarsExample.match(/^LICENSE_SIGNING_KEYS='(.*)'$/m)![1]!;
    expect(refusal({ LICENSE_SIGNING_KEYS: devSigningKey })?.variables).toEqual(["LICENSE_SIGNING_KEYS"]);
    expect(
      refusal({ INTERNAL_API_KEYS: `${LIVE_INTERNAL_KEY},${PUBLISHED_DEV_VALUES.INTERNAL_API_KEYS}` })?.variables,
    ).toEqual(["INTERNAL_API_KEYS"]);
    expect(refusal({ INTERNAL_API_KEYS: "x".repeat(31) })?.variables).toEqual(["INTERNAL_API_KEYS"]);
    expect(refusal({ INTERNAL_API_KEYS: `ops:${"x".repeat(31)}` })?.variables).toEqual(["INTERNAL_API_KEYS"]);
    expect(
      refusal({ INTERNAL_API_KEYS: `ops:${PUBLISHED_DEV_VALUES.INTERNAL_API_KEYS}${"x".repeat(32)}` })?.variables,
    ).toBeUndefined();
    expect(refusal({ INTERNAL_API_KEYS: `ops:${PUBLISHED_DEV_VALUES.INTERNAL_API_KEYS}` })?.variables).toEqual([
      "INTERNAL_API_KEYS",
    ]);
    expect(refusal({ STRIPE_WEBHOOK_SECRET: PUBLISHED_DEV_VALUES.STRIPE_WEBHOOK_SECRET })?.variables).toEqual([
      "STRIPE_WEBHOOK_SECRET",
    ]);
    expect(refusal({ RATE_LIMIT_DISABLED: "true" })?.variables).toEqual(["RATE_LIMIT_DISABLED"]);
    // STRIPE_LIVEMODE=true makes a key without a mode prefix live; test mode keeps all of these allowed.
    expect(
      configErrorOf({
        STRIPE_SECRET_KEY: "sk_org_abc",
        STRIPE_LIVEMODE: "true",
        RESEND_API_KEY: undefined,
        ...liveUrls,
      })?.variables,
    ).toEqual(["RESEND_API_KEY", "INTERNAL_API_KEYS"]);
    expect(
      configErrorOf({
        RESEND_API_KEY: undefined,
        INTERNAL_API_KEYS: "short",
        RATE_LIMIT_DISABLED: "true",
        LICENSE_SIGNING_KEYS: devSigningKey,
      }),
    ).toBeNull();
    const err = refusal({ INTERNAL_API_KEYS: "short-secret-value" })!;
    expect(err.message).toContain("INTERNAL_API_KEYS");
    expect(err.message).not.toContain("short-secret-value");
  });

  it("4: the published dev values are exactly those of .dev.vars.example", () => {
    expect(devVarsExample).toContain(`STRIPE_WEBHOOK_SECRET="${PUBLISHED_DEV_VALUES.STRIPE_WEBHOOK_SECRET}"`);
    expect(devVarsExample).toContain(`INTERNAL_API_KEYS="dev-support:${PUBLISHED_DEV_VALUES.INTERNAL_API_KEYS}"`);
    expect(devVarsExample).toContain(`"x":"${PUBLISHED_DEV_VALUES.LICENSE_SIGNING_KEY_X}"`);
    expect(devVarsExample).toContain(`"d":"${PUBLISHED_DEV_VALUES.LICENSE_SIGNING_KEY_D}"`);
  });

  it("3: a missing rate limiter binding is a ConfigError naming it (unless rate limiting is off)", () => {
    expect(configErrorOf({ LICENSE_RATE_LIMITER: undefined, ACCOUNT_RATE_LIMITER: {} })?.variables).toEqual([
      "LICENSE_RATE_LIMITER",
      "ACCOUNT_RATE_LIMITER",
    ]);
    expect(configErrorOf({ LICENSE_RATE_LIMITER: undefined, RATE_LIMIT_DISABLED: "true" })).toBeNull();
  });

  it("4: production is served only on the custom domain: workers_dev and preview_urls are off", () => {
    expect(wranglerToml).toMatch(/^workers_dev = false$/m);
    expect(wranglerToml).toMatch(/^preview_urls = false$/m);
  });
});
