// Test-only values for the worker's bindings. The third-party origins point at hosts that exist only
// inside the tests' HTTP fakes (msw), so nothing can reach a real provider.
export const TEST_WEBHOOK_SECRET = "whsec_test_only_primary";
export const TEST_WEBHOOK_SECRET_OLD = "whsec_test_only_rolling";
export const TEST_INTERNAL_KEYS = ["test-internal-key-current", "test-internal-key-previous-longer"];
/** A named INTERNAL_API_KEYS entry (`name:secret`): its calls are audited under the name. */
export const TEST_NAMED_KEY = { name: "support-desk", secret: "test-internal-key-named-support-desk" };
/** Cloudflare Access in front of /console: a team origin only msw answers (test/console/access-fake.ts). */
export const TEST_ACCESS_TEAM_DOMAIN = "https://maximus-test.cloudflareaccess.test";
export const TEST_ACCESS_AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";
/** The request URLs of test/support/http.ts: the console's own origin. */
export const TEST_PUBLIC_ORIGIN = "http://maximus.test";
export const TEST_STRIPE_API_BASE = "https://stripe.test";
export const TEST_RESEND_BASE_URL = "https://resend.test";
export const TEST_LOGTO_ENDPOINT = "https://logto.test";
export const TEST_LOGTO_RESOURCE = "https://api.maximus.test";
export const TEST_LICENSE_ISSUER = "https://licenses.maximus.test";

export function testBindings(p: { databaseUrl: string; neonHttpEndpoint: string; signingKeys: string }) {
  return {
    DATABASE_URL: p.databaseUrl,
    NEON_HTTP_ENDPOINT: p.neonHttpEndpoint,
    LICENSE_SIGNING_KEYS: p.signingKeys,
    STRIPE_SECRET_KEY: "sk_test_only_fake",
    STRIPE_WEBHOOK_SECRET: `${TEST_WEBHOOK_SECRET_OLD},${TEST_WEBHOOK_SECRET}`,
    STRIPE_API_BASE: TEST_STRIPE_API_BASE,
    STRIPE_LIVEMODE: "false",
    INTERNAL_API_KEYS: [...TEST_INTERNAL_KEYS, `${TEST_NAMED_KEY.name}:${TEST_NAMED_KEY.secret}`].join(","),
    ACCESS_TEAM_DOMAIN: TEST_ACCESS_TEAM_DOMAIN,
    ACCESS_AUD: TEST_ACCESS_AUD,
    PUBLIC_ORIGINS: TEST_PUBLIC_ORIGIN,
    LICENSE_ISSUER: TEST_LICENSE_ISSUER,
    LOGTO_ENDPOINT: TEST_LOGTO_ENDPOINT,
    LOGTO_API_RESOURCE: TEST_LOGTO_RESOURCE,
    LOGTO_CLIENT_IDS: "desktop-app",
    RESEND_API_KEY: "re_test_only_fake",
    RESEND_BASE_URL: TEST_RESEND_BASE_URL,
    EMAIL_FROM: "Maximus Tests <tests@maximus.test>",
    ACTIVATION_LIMIT: "3",
    OFFLINE_GRACE_DAYS: "7",
    LICENSE_GRACE_DAYS: "7",
    EMAIL_TIMEOUT_MS: "1000",
  };
}
