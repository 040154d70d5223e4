// The third parties the worker calls, as local HTTP servers on 127.0.0.1: the very fakes the tests
// mount in msw (tools/fakes), served from Node. They answer from what the bench puts in them and
// record what they saw; here only the bench's figures are added (calls by route, posts, JWKS hits).
import { generateLogtoKey, logtoApi, signLogtoAccessToken } from "../../tools/fakes/logto.mjs";
import { createResendFake, emailTo, resendApi } from "../../tools/fakes/resend.mjs";
import { serveFetch } from "../../tools/fakes/serve.mjs";
import { createStripeWorld, stripeApi } from "../../tools/fakes/stripe-api.mjs";

/** Stripe's API; `callCounts()`: calls by `METHOD /route` (ids replaced by `:id`). */
export async function startFakeStripe() {
  const world = createStripeWorld();
  const fake = await serveFetch(stripeApi(world));
  const callCounts = () => {
    const counts = {};
    for (const { method, path } of world.calls) {
      const route = `${method} ${path.replace(/\/(sub|price|evt|cs)_[A-Za-z0-9_]+/, "/:id")}`;
      counts[route] = (counts[route] ?? 0) + 1;
    }
    return counts;
  };
  return { ...fake, world, callCounts };
}

/** Resend's POST /emails; `emailTo` resolves with { at, text } once an email to `to` has arrived. */
export async function startFakeResend() {
  const outbox = createResendFake();
  const fake = await serveFetch(resendApi(outbox));
  return {
    ...fake,
    posts: () => outbox.posts,
    /** @param {string} to @param {number} timeoutMs */
    emailTo: (to, timeoutMs) => emailTo(outbox, to, timeoutMs),
  };
}

/** Logto's JWKS with a fresh ES384 key, and access tokens signed like Logto signs them. */
export async function startFakeLogto({ resource }) {
  const key = await generateLogtoKey(`bench-${crypto.randomUUID().slice(0, 8)}`);
  const jwks = { keys: [key.publicJwk], mode: /** @type {const} */ ("ok"), hits: 0 };
  const fake = await serveFetch(logtoApi(jwks));
  return {
    ...fake,
    hits: () => jwks.hits,
    /** @param {string} sub */
    signAccessToken: (sub) => signLogtoAccessToken(key, { sub }, { endpoint: fake.origin, resource }),
  };
}
