// Step 5b: the queue consumer draining a burst. `opts.burst` signed webhook events are sent as fast
// as `opts.connections` connections allow (each only enqueues), and the clock runs from the first
// request until the consumer has applied the last event (counted in stripe_events over a direct pg
// connection, which neither goes through the Neon endpoint nor is delayed). Invocations and their
// sizes come from wrangler dev's own log lines ("QUEUE maximus-events 10/10 (52ms)").
import { readFileSync, statSync } from "node:fs";
import { log, ms, sleep, TARGETS } from "./settings.mjs";
import * as stripe from "./stripe-objects.mjs";

const QUEUE_LINE = /QUEUE maximus-events (\d+)\/(\d+)(?: \((\d+)ms\))?/g;

/** invoice.payment_succeeded events the consumer has finished with, counted directly in Postgres. */
export async function appliedInvoiceEvents(sql) {
  return (
    await sql.query(
      "select count(*)::int as n from stripe_events where type = 'invoice.payment_succeeded' and status in ('processed', 'ignored')",
    )
  ).rows[0].n;
}

export async function runConsumerBurst({ opts, dbCounter, servers, load }) {
  const { secrets, service, sql } = servers;
  const n = opts.burst;
  log(
    `5b  queue consumer: a burst of ${n} webhook events (invoice.payment_succeeded, unknown subscriptions), time until all are applied`,
  );
  await load.loadBodies("burst", await stripe.signedInvoiceBodies("burst", n, secrets.webhook), false);
  const applied = () => appliedInvoiceEvents(sql);
  const before = await applied();
  const logOffset = statSync(service.logFile).size;
  const db0 = dbCounter.snapshot();
  const started = performance.now();
  const sent = await load.run(
    {
      url: `${service.origin}/subscriptions/webhook`,
      method: "POST",
      headers: { "content-type": "application/json" },
      bodiesKey: "burst",
    },
    n,
  );
  const enqueuedMs = performance.now() - started;
  const accepted = sent.statuses["200"] ?? 0;
  if (accepted !== n)
    throw new Error(`burst: ${accepted} of ${n} webhooks answered 200 (${JSON.stringify(sent.statuses)})`);
  const deadline = started + Math.max(120_000, (n / 5) * 1000);
  let done = 0;
  while (performance.now() < deadline) {
    done = (await applied()) - before;
    if (done >= n) break;
    await sleep(50);
  }
  const drainedMs = performance.now() - started;
  if (done < n) throw new Error(`burst: the queue consumer applied ${done} of ${n} events within ${ms(drainedMs)} ms`);
  const db1 = dbCounter.snapshot();
  await sleep(300); // wrangler writes an invocation's line after it returns
  const invocations = [];
  const text = readFileSync(service.logFile).subarray(logOffset).toString("utf8");
  for (const m of text.matchAll(QUEUE_LINE))
    invocations.push({ acked: Number(m[1]), size: Number(m[2]), ms: m[3] === undefined ? null : Number(m[3]) });
  const eventsInInvocations = invocations.reduce((a, x) => a + x.size, 0);
  const invocationMs = invocations.reduce((a, x) => a + (x.ms ?? 0), 0);
  const result = {
    events: n,
    enqueuedMs,
    drainedMs,
    eventsPerSecond: n / (drainedMs / 1000),
    webhookP99Ms: sent.latencies.sort((a, b) => a - b)[Math.ceil(0.99 * sent.latencies.length) - 1],
    invocations: invocations.length,
    eventsPerInvocation: invocations.length ? eventsInInvocations / invocations.length : null,
    invocationMsMean: invocations.length ? invocationMs / invocations.length : null,
    // Within one invocation: its events over its own duration.
    eventsPerSecondPerInvocation: invocationMs ? eventsInInvocations / (invocationMs / 1000) : null,
    dbRoundTripsPerEvent: (db1.requests - db0.requests) / n,
    dbStatementsPerEvent: (db1.statements - db0.statements) / n,
    targetEventsPerSecond: TARGETS.consumerEventsPerSecond,
  };
  result.pass = result.eventsPerSecond >= TARGETS.consumerEventsPerSecond;
  log(
    `    ${n} events applied in ${ms(drainedMs)} ms (all 200 after ${ms(enqueuedMs)} ms): ${result.eventsPerSecond.toFixed(0)} events/s; ` +
      `${result.invocations} invocations of ${result.eventsPerInvocation?.toFixed(1) ?? "—"} events, ${ms(result.invocationMsMean)} ms each ` +
      `(${result.eventsPerSecondPerInvocation?.toFixed(0) ?? "—"} events/s per invocation); ${result.dbRoundTripsPerEvent.toFixed(2)} DB round trips per event`,
  );
  return result;
}
