// Stripe events as Stripe sends them (the builders are shared with the bench: stripe-objects.mjs),
// signed with the webhook secret like Stripe signs them, and delivered to the real worker.
import { stripeSignature } from "../../../tools/stripe/sign.mjs";
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
  lineItem,
  newPayment,
  newPurchase,
  nowSec,
  product,
  stripeId,
  subscription,
} from "../../../tools/stripe/stripe-objects.mjs";

export const signPayload = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
  stripeSignature(payload, options.secret ?? TEST_WEBHOOK_SECRET, options.timestamp);

/** POSTs an event to the webhook as Stripe would: the exact bytes it signed. */
export async function deliver(evt: unknown, options: { secret?: string; timestamp?: number; payload?: string } = {}) {
  const payload = options.payload ?? JSON.stringify(evt);
  const header = await signPayload(payload, options);
  return call("POST", "/subscriptions/webhook", {
    rawBody: payload,
    headers: { "Stripe-Signature": header, "content-type": "application/json" },
  });
}
