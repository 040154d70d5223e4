// Test-only values for the worker's bindings. The third-party origins point at hosts that exist only
// inside the tests' HTTP fakes (msw), so nothing can reach a real provider. The list itself is
// tools/bindings.mjs, shared with the bench and `npm run dev`.
import { localBindings } from "../tools/bindings.mjs";

export const TEST_WEBHOOK_SECRET = "whsec_test_only_primary";
export const TEST_WEBHOOK_SECRET_OLD = "whsec_test_only_rolling";
export const TEST_INTERNAL_KEYS = ["test-internal-key-current", "test-internal-key-previous-longer"];
/** A named INTERNAL_API_KEYS entry (`name:secret`): its calls are audited under the name. */
export const TEST_NAMED_KEY = { name: "support-desk", secret: "test-internal-key-named-support-desk" };
/** Cloudflare Access in front of /console: a team origin only msw answers (tools/fakes/cloudflare-access.mjs). */
export const TEST_ACCESS_TEAM_DOMAIN = "https://maximus-test.cloudflareaccess.test";
export const TEST_ACCESS_AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";
/** Where test/support/http.ts addresses the worker: the console's own origin, what a DPoP proof's `htu` names. */
export const TEST_PUBLIC_ORIGIN = "http://maximus.test";
export const TEST_STRIPE_API_BASE = "https://stripe.test";
export const TEST_RESEND_BASE_URL = "https://resend.test";
export const TEST_LOGTO_ENDPOINT = "https://logto.test";
export const TEST_LOGTO_RESOURCE = "https://api.maximus.test";
export const TEST_LICENSE_ISSUER = "https://licenses.maximus.test";

export function testBindings(p: { databaseUrl: string; neonHttpEndpoint: string; signingKeys: string }) {
  return localBindings({
    stack: { databaseUrl: p.databaseUrl, endpointUrl: p.neonHttpEndpoint },
    signingKeys: p.signingKeys,
    stripeSecretKey: "sk_test_only_fake",
    webhookSecrets: [TEST_WEBHOOK_SECRET_OLD, TEST_WEBHOOK_SECRET],
    internalKeys: [...TEST_INTERNAL_KEYS, `${TEST_NAMED_KEY.name}:${TEST_NAMED_KEY.secret}`],
    resendApiKey: "re_test_only_fake",
    fakes: {
      stripe: TEST_STRIPE_API_BASE,
      resend: TEST_RESEND_BASE_URL,
      logto: TEST_LOGTO_ENDPOINT,
      logtoResource: TEST_LOGTO_RESOURCE,
    },
    extra: {
      ACCESS_TEAM_DOMAIN: TEST_ACCESS_TEAM_DOMAIN,
      ACCESS_AUD: TEST_ACCESS_AUD,
      PUBLIC_ORIGINS: TEST_PUBLIC_ORIGIN,
      LOGTO_CLIENT_IDS: "desktop-app",
      LICENSE_ISSUER: TEST_LICENSE_ISSUER,
      EMAIL_FROM: "Maximus Tests <tests@maximus.test>",
      ACTIVATION_LIMIT: "3",
      OFFLINE_GRACE_DAYS: "7",
      LICENSE_GRACE_DAYS: "7",
      EMAIL_TIMEOUT_MS: "1000",
    },
  });
}
