// Stripe's webhook signature (`t=<unix>,v1=<HMAC-SHA256 of "t.payload">`), made by Stripe's own SDK
// with WebCrypto and fetch, so the same code signs in workerd (the tests) and in Node (scripts, bench).
import Stripe from "stripe";

const cryptoProvider = Stripe.createSubtleCryptoProvider();
const signer = new Stripe("sk_test_signing_only", { httpClient: Stripe.createFetchHttpClient() });

/** The Stripe-Signature header for exactly these bytes. @param {string} payload @param {string} secret @param {number} [timestamp] */
export const stripeSignature = (payload, secret, timestamp) =>
  signer.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp, cryptoProvider });

/** The exact bytes Stripe would send for an event, and their signature. @param {unknown} evt @param {string} secret */
export async function signedEvent(evt, secret) {
  const payload = JSON.stringify(evt);
  return { payload, signature: await stripeSignature(payload, secret) };
}
