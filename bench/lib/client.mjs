// Talking to the service under test as its callers do: JSON requests, and Stripe's signed webhooks.
import * as stripe from "./stripe-objects.mjs";

const KEY_IN_EMAIL = /\b(S[RL]-(?:BASE|PREMIUM)-[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/;

export const must = (res, status, what) => {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 300)}`);
  return res.json;
};

/** @param {{ service: { origin: string }; secrets: { webhook: string }; fakeStripe: any; fakeResend: any }} servers */
export function createClient({ service, secrets, fakeStripe, fakeResend }) {
  const api = async (method, path, { body, headers = {} } = {}) => {
    const res = await fetch(service.origin + path, {
      method,
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, json, text };
  };
  const deliver = async (evt) => {
    const { payload, signature } = await stripe.signEvent(evt, secrets.webhook);
    const res = await api("POST", "/subscriptions/webhook", {
      body: payload,
      headers: { "Stripe-Signature": signature },
    });
    return must(res, 200, `webhook ${evt.type}`);
  };
  const purchase = async (n) => {
    const p = stripe.newPurchase(n);
    fakeStripe.world.subscriptions.set(p.subscriptionId, stripe.subscription(p));
    fakeStripe.world.invoicePayments.set(p.paymentIntentId, stripe.invoicePayment(p));
    // Generous: at production distance a burst of checkouts waits behind the consumer; a slow email is a figure, not a crash.
    const mailPromise = fakeResend.emailTo(p.email, 180_000);
    await deliver(stripe.event("checkout.session.completed", stripe.checkoutSession(p)));
    const acceptedAt = performance.now();
    const mail = await mailPromise;
    const key = KEY_IN_EMAIL.exec(mail.text)?.[1];
    if (!key) throw new Error(`no license key in the email to ${p.email}`);
    return { p, key, emailMs: mail.at - acceptedAt };
  };
  return { api, deliver, purchase };
}
