import { describe, expect, it } from "vitest";
import { toAccountStatus, type AccountStatusInput } from "./account-status";

const now = new Date("2026-12-10T12:00:00Z");
const status = (over: Partial<AccountStatusInput>) =>
  toAccountStatus({
    stripeStatus: "active",
    currentPeriodEnd: new Date("2027-01-10T00:00:00Z"),
    licenseRevoked: false,
    now,
    graceDays: 7,
    ...over,
  });

describe("toAccountStatus", () => {
  it.each([
    ["active", "active"],
    ["trialing", "active"],
    ["past_due", "past_due"],
    ["unpaid", "past_due"],
    ["incomplete", "past_due"],
    ["canceled", "canceled"],
    ["incomplete_expired", "expired"],
    ["paused", "expired"],
    ["some_future_word", "expired"],
  ])("Stripe %s within the period is %s", (stripeStatus, expected) => {
    expect(status({ stripeStatus })).toBe(expected);
  });

  it("stays as is during the grace days after the period end, expires when they are over", () => {
    expect(status({ currentPeriodEnd: new Date("2026-12-04T12:00:01Z") })).toBe("active");
    expect(status({ currentPeriodEnd: new Date("2026-12-03T12:00:00Z") })).toBe("expired");
    expect(status({ stripeStatus: "canceled", currentPeriodEnd: new Date("2026-12-08T00:00:00Z") })).toBe("canceled");
    expect(status({ stripeStatus: "canceled", currentPeriodEnd: new Date("2026-12-01T00:00:00Z") })).toBe("expired");
  });

  it("a revoked license is expired whatever Stripe says", () => {
    expect(status({ licenseRevoked: true })).toBe("expired");
  });

  it("a subscription without a known period end follows its Stripe status", () => {
    expect(status({ currentPeriodEnd: null })).toBe("active");
  });
});
