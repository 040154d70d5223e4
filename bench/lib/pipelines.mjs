// Step 6: the end-to-end delays a buyer notices: checkout webhook → license email at Resend, refund
// webhook → validate says revoked, and payment → key on the success page (checkout webhook → GET
// /checkout/sessions/{id}/license answers the key). Also what each costs in DB round trips and Stripe calls.
import { must } from "./client.mjs";
import {
  KEY_POLL_MS,
  log,
  ms,
  POLL_MS,
  PURCHASE_INTERVAL_MS,
  REFUND_CONCURRENCY,
  sleep,
  TARGETS,
} from "./settings.mjs";
import { summarize } from "./stats.mjs";
import * as stripe from "./stripe-objects.mjs";

export async function runPipelines({ opts, dbCounter, servers, client }) {
  const { fakeStripe } = servers;
  const { api, deliver, purchase } = client;
  const snapshot = dbCounter.snapshot;
  log(`6/7 checkout → email over ${opts.purchases} purchases (one checkout every ${PURCHASE_INTERVAL_MS} ms)`);
  const stripeCalls = () => Object.values(fakeStripe.callCounts()).reduce((a, b) => a + b, 0);
  let dbBefore = snapshot();
  let stripeBefore = stripeCalls();
  const purchases = await Promise.all(
    Array.from({ length: opts.purchases }, async (_, i) => {
      await sleep(i * PURCHASE_INTERVAL_MS);
      return purchase(i);
    }),
  );
  await sleep(500); // the outbox row is marked sent after Resend answered
  const emailStats = summarize(purchases.map((x) => x.emailMs));
  emailStats.dbRoundTripsPerPurchase = (snapshot().requests - dbBefore.requests) / purchases.length;
  emailStats.stripeCallsPerPurchase = (stripeCalls() - stripeBefore) / purchases.length;
  log(
    `    p50 ${ms(emailStats.p50)} ms, p99 ${ms(emailStats.p99)} ms, max ${ms(emailStats.max)} ms; per purchase: ${emailStats.dbRoundTripsPerPurchase.toFixed(1)} DB round trips, ${emailStats.stripeCallsPerPurchase.toFixed(1)} Stripe API calls`,
  );

  log(
    `    refund → revoked over ${purchases.length} purchases (${REFUND_CONCURRENCY} at a time, validate polled every ${POLL_MS} ms)`,
  );
  const revokeMs = [];
  const queue = [...purchases];
  let polls = 0;
  dbBefore = snapshot();
  stripeBefore = stripeCalls();
  const refundWorker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      await deliver(stripe.event("charge.refunded", stripe.charge(item.p)));
      const acceptedAt = performance.now();
      for (;;) {
        const pollStart = performance.now();
        const res = must(await api("POST", "/licenses/validate", { body: { key: item.key } }), 200, "validate (poll)");
        polls++;
        if (res.code === "revoked") {
          revokeMs.push(performance.now() - acceptedAt);
          break;
        }
        if (performance.now() - acceptedAt > 60_000)
          throw new Error(`license of ${item.p.email} still ${res.code} 60 s after its refund`);
        await sleep(Math.max(0, POLL_MS - (performance.now() - pollStart)));
      }
    }
  };
  await Promise.all(Array.from({ length: REFUND_CONCURRENCY }, refundWorker));
  await sleep(200);
  const revokeStats = summarize(revokeMs);
  // Each poll is one round trip of its own.
  revokeStats.dbRoundTripsPerRefund = (snapshot().requests - dbBefore.requests - polls) / revokeMs.length;
  revokeStats.stripeCallsPerRefund = (stripeCalls() - stripeBefore) / revokeMs.length;
  log(
    `    p50 ${ms(revokeStats.p50)} ms, p99 ${ms(revokeStats.p99)} ms, max ${ms(revokeStats.max)} ms (${polls} polls); per refund: ${revokeStats.dbRoundTripsPerRefund.toFixed(1)} DB round trips, ${revokeStats.stripeCallsPerRefund.toFixed(1)} Stripe API calls`,
  );

  // Payment → key: purchases of their own, paced as above, each with its success page polling.
  log(
    `    payment → key on the success page over ${opts.purchases} purchases (one every ${PURCHASE_INTERVAL_MS} ms, the page polling every ${KEY_POLL_MS} ms)`,
  );
  const paid = await Promise.all(
    Array.from({ length: opts.purchases }, async (_, i) => {
      await sleep(i * PURCHASE_INTERVAL_MS);
      return purchase(`key-${i}`, { pollKeyEveryMs: KEY_POLL_MS });
    }),
  );
  const keyStats = { ...summarize(paid.map((x) => x.keyMs)), pollMs: KEY_POLL_MS };
  log(`    p50 ${ms(keyStats.p50)} ms, p99 ${ms(keyStats.p99)} ms, max ${ms(keyStats.max)} ms`);
  // Each delay with its target and verdict, as the other steps return theirs.
  return {
    checkoutToEmail: {
      ...emailStats,
      targetP99Ms: TARGETS.checkoutToEmailP99Ms,
      pass: emailStats.p99 <= TARGETS.checkoutToEmailP99Ms,
    },
    refundToRevoked: {
      ...revokeStats,
      targetP99Ms: TARGETS.refundToRevokedP99Ms,
      pass: revokeStats.p99 <= TARGETS.refundToRevokedP99Ms,
      pollMs: POLL_MS,
    },
    paymentToKey: {
      ...keyStats,
      targetP99Ms: TARGETS.paymentToKeyP99Ms,
      pass: keyStats.p99 <= TARGETS.paymentToKeyP99Ms,
    },
  };
}
