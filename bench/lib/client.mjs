// Talking to the service under test as its callers do: JSON requests, and Stripe's signed webhooks.
import { requestJson } from "../../tools/http/json-request.mjs";
import * as stripe from "./stripe-objects.mjs";

const KEY_IN_EMAIL = /\b(S[RL]-(?:BASE|PREMIUM)-[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/;

export const must = (res, status, what) => {
  if (res.status !== status)
    throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 300)}`);
  return res.json;
};

/** @param {{ service: { origin: string }; secrets: { webhook: string }; fakeStripe: any; fakeResend: any; fakeLogto: any }} servers */
export function createClient({ service, secrets, fakeStripe, fakeResend, fakeLogto }) {
  const api = (method, path, options) => requestJson(service.origin, method, path, options);
  const deliver = async (evt) => {
    const { payload, signature } = await stripe.signEvent(evt, secrets.webhook);
    const res = await api("POST", "/subscriptions/webhook", {
      body: payload,
      headers: { "Stripe-Signature": signature },
    });
    return must(res, 200, `webhook ${evt.type}`);
  };
  /**
   * A buyer's purchase: the checkout event, then the email with the key. With `pollKeyEveryMs`, the
   * success page too: from the webhook's 200 it asks GET /checkout/sessions/{id}/license (as the buyer,
   * signed in with Logto) until it answers the key (`keyMs`; `not_ready` 404s before that).
   */
  const purchase = async (n, { pollKeyEveryMs } = {}) => {
    const p = stripe.newPurchase(n);
    fakeStripe.world.subscriptions.set(p.subscriptionId, stripe.subscription(p));
    fakeStripe.world.invoicePayments.set(p.paymentIntentId, stripe.invoicePayment(p));
    fakeStripe.world.checkoutSessions.set(p.sessionId, stripe.checkoutSession(p));
    // Generous: at production distance a burst of checkouts waits behind the consumer; a slow email is a figure, not a crash.
    const mailPromise = fakeResend.emailTo(p.email, 180_000);
    const token = pollKeyEveryMs ? await fakeLogto.signAccessToken(p.logtoUserId) : null;
    await deliver(stripe.event("checkout.session.completed", stripe.checkoutSession(p)));
    const acceptedAt = performance.now();
    const keyMs = token ? await pollKey(p, token, pollKeyEveryMs, acceptedAt) : null;
    const mail = await mailPromise;
    const key = KEY_IN_EMAIL.exec(mail.text)?.[1];
    if (!key) throw new Error(`no license key in the email to ${p.email}`);
    return { p, key, emailMs: mail.at - acceptedAt, keyMs };
  };
  const pollKey = async (p, token, everyMs, acceptedAt) => {
    let polls = 0;
    for (;;) {
      const pollStart = performance.now();
      const res = await api("GET", `/checkout/sessions/${p.sessionId}/license`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      polls++;
      if (res.status === 200 && res.json?.key) return performance.now() - acceptedAt;
      if (res.status !== 404 || res.json?.code !== "not_ready")
        throw new Error(`success page of ${p.email}: ${res.status} ${res.text.slice(0, 300)}`);
      if (performance.now() - acceptedAt > 60_000)
        throw new Error(`success page of ${p.email}: no key 60 s after the checkout (${polls} polls)`);
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - pollStart))));
    }
  };
  return { api, deliver, purchase };
}
