// Stripe events as Stripe sends them (the builders are shared with the bench: stripe-objects.mjs),
// signed with the webhook secret like Stripe signs them, and delivered to the real worker.
import Stripe from "stripe";
import { TEST_WEBHOOK_SECRET } from "../../bindings";
import { call } from "../http";

export type { Purchase } from "../../../tools/stripe/stripe-objects.mjs";
export {
  atPayment,
  charge,
  checkoutSession,
  dispute,
  event,
  invoice,
  invoicePayment,
  newPayment,
  newPurchase,
  nowSec,
  stripeId,
  subscription,
} from "../../../tools/stripe/stripe-objects.mjs";

const cryptoProvider = Stripe.createSubtleCryptoProvider();
const signer = new Stripe("sk_test_only_signer", { httpClient: Stripe.createFetchHttpClient() });

export async function signPayload(payload: string, options: { secret?: string; timestamp?: number } = {}) {
  return signer.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? TEST_WEBHOOK_SECRET,
    timestamp: options.timestamp,
    cryptoProvider,
  });
}

/** POSTs an event to the webhook as Stripe would: the exact bytes it signed. */
export async function deliver(evt: unknown, options: { secret?: string; timestamp?: number; payload?: string } = {}) {
  const payload = options.payload ?? JSON.stringify(evt);
  const header = await signPayload(payload, options);
  return call("POST", "/subscriptions/webhook", {
    rawBody: payload,
    headers: { "Stripe-Signature": header, "content-type": "application/json" },
  });
}
