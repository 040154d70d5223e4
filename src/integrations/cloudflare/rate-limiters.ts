/** The bindings' limiters (wrangler.toml), behind one small port: true while under the limit. */
export interface RateLimiters {
  allowClientIp(ip: string): Promise<boolean>;
  allowLicense(licenseId: string): Promise<boolean>;
  allowAccount(subject: string): Promise<boolean>;
}

interface LimiterBindings {
  IP_RATE_LIMITER: RateLimit;
  LICENSE_RATE_LIMITER: RateLimit;
  ACCOUNT_RATE_LIMITER: RateLimit;
}

const allow = async (limiter: RateLimit, key: string) => (await limiter.limit({ key })).success;

/** RATE_LIMIT_DISABLED (tests, bench; refused in live mode): every request is allowed. */
export function createRateLimiters(env: LimiterBindings, disabled: boolean): RateLimiters {
  if (disabled)
    return { allowClientIp: async () => true, allowLicense: async () => true, allowAccount: async () => true };
  return {
    allowClientIp: (ip) => allow(env.IP_RATE_LIMITER, `ip:${ip}`),
    // Keyed by the license id once a key verifies, not the presented text: padding a key changes nothing.
    allowLicense: (licenseId) => allow(env.LICENSE_RATE_LIMITER, `license:${licenseId}`),
    allowAccount: (subject) => allow(env.ACCOUNT_RATE_LIMITER, `sub:${subject}`),
  };
}
