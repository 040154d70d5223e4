// Stripe objects and events for the bench: the very builders the tests use
// (tools/stripe/stripe-objects.mjs), with bench ids, and signed the way Stripe signs them.
import { signedEvent } from "../../tools/stripe/sign.mjs";
import * as objects from "../../tools/stripe/stripe-objects.mjs";

export const { charge, checkoutSession, event, invoicePayment, subscription } = objects;

/** One subscription purchase's ids (tagged `bench`), with a recognisable buyer address. */
export const newPurchase = (n) => ({
  ...objects.newPurchase(
    {
      email: `buyer-${n}-${crypto.randomUUID().slice(0, 8)}@bench.test`,
      logtoUserId: `logto_bench_${crypto.randomUUID().slice(0, 12)}`,
    },
    "bench",
  ),
  // Shaped as Stripe's (cs_test_ + letters and digits): the success page's GET /checkout/sessions/{id}/license checks it.
  sessionId: `cs_test_bench${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`,
});

/** `n` signed invoice.payment_succeeded events for subscriptions the service does not know, as load-generator bodies. */
export async function signedInvoiceBodies(prefix, n, secret) {
  const bodies = [];
  for (let i = 0; i < n; i++) {
    const { payload, signature } = await signedEvent(
      event("invoice.payment_succeeded", objects.invoice(newPurchase(`${prefix}-${i}`))),
      secret,
    );
    bodies.push({ body: payload, headers: { "stripe-signature": signature } });
  }
  return bodies;
}

export { signedEvent as signEvent };
