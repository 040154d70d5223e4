// Steps 4 and 5: the data the load needs, then each endpoint under load next to its floor worker, in
// two passes (issue 25): warm latency at 2 connections (the 2 cores not saturated: what one user
// feels), and throughput at 10 (requests/s, and the isolate's CPU per request from the profiler).
// Each endpoint and its floor get the same requests (method, headers, body size). After a warm-up
// of each, the measured requests are taken in ROUNDS alternating chunks (floor, endpoint, floor,
// ...), so that whatever else the machine is doing weighs on both alike.
import { webcrypto } from "node:crypto";
import { must } from "./client.mjs";
import { onCleanup } from "./processes.mjs";
import { attribute, connectProfiler } from "./profiler.mjs";
import {
  ACTIVATION_LIMIT,
  FULL_LICENSES,
  LICENSE_POOL,
  log,
  ms,
  PROFILE_AMOUNT,
  ROUNDS,
  sleep,
  TARGETS,
} from "./settings.mjs";
import { summarize } from "./stats.mjs";
import * as stripe from "./stripe-objects.mjs";

const activateBody = (key, machineId) =>
  JSON.stringify({ key, machine_id: machineId, machine_name: "Bench", platform: "linux", app_version: "1.0.0" });

/** `fn(i)` for i in 0..n-1, `width` at a time (each waits a database round trip or more). */
async function inParallel(n, width, fn) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, width) }, async () => {
      for (let i = next++; i < n; i = next++) out[i] = await fn(i);
    }),
  );
  return out;
}

/**
 * Licenses for validate/activate (internal API), each activated on its machine; fresh licenses for
 * "new machine" and licenses at their limit for "limit reached"; a subscriber for status.
 */
export async function prepareData({ api, purchase }, { secrets, fakeLogto }, opts) {
  log("4/7 data: licenses for validate/activate (internal API), a subscriber for status (checkout webhook)");
  const generate = async (label) =>
    must(
      await api("POST", "/licenses/generate", {
        headers: { Authorization: `Bearer ${secrets.internal}` },
        body: {
          email: `bench-${label}@bench.test`,
          product: "simpl-resultat",
          tier: "base",
          duration_days: 365,
          send_email: false,
        },
      }),
      201,
      "generate license",
    ).key;
  const activate = async (key, machineId, status = 200) =>
    must(await api("POST", "/licenses/activate", { body: activateBody(key, machineId) }), status, "activate");
  const newMachine = (label) => `bench-machine-${label}-${webcrypto.randomUUID()}`;
  const licenses = await inParallel(LICENSE_POOL, opts.connections, async (i) => {
    const key = await generate(i);
    const machineId = newMachine(i);
    await activate(key, machineId);
    return { key, machineId };
  });
  // New machine: every measured request seats a machine never seen on a license with a free seat.
  // The list goes seat by seat over all licenses (seat 1 of each, then seat 2 …), so that concurrent
  // requests are for different licenses: one license's row lock would otherwise queue them.
  // Both passes seat fresh machines: the latency pass's requests, then the throughput pass's and its profiled run.
  const newMachineRequests = opts.latencyWarmup + opts.latencyAmount + opts.warmup + opts.amount + PROFILE_AMOUNT;
  const freshCount = Math.ceil(newMachineRequests / ACTIVATION_LIMIT);
  log(
    `    ${freshCount} fresh licenses for "new machine" (${ACTIVATION_LIMIT} seats each), ${FULL_LICENSES} licenses at their limit for "limit reached"`,
  );
  const fresh = await inParallel(freshCount, opts.connections, (i) => generate(`fresh-${i}`));
  const newMachineBodies = [];
  for (let seat = 0; seat < ACTIVATION_LIMIT; seat++)
    for (const [i, key] of fresh.entries())
      newMachineBodies.push({ body: activateBody(key, newMachine(`fresh-${i}-${seat}`)) });
  // Limit reached: a license whose every seat is taken, and a machine not among them, always the same
  // (a refusal changes nothing, so the request can repeat).
  const full = await inParallel(FULL_LICENSES, opts.connections, async (i) => {
    const key = await generate(`full-${i}`);
    for (let seat = 0; seat < ACTIVATION_LIMIT; seat++) await activate(key, newMachine(`full-${i}-${seat}`));
    const extra = newMachine(`full-${i}-extra`);
    const refused = await activate(key, extra, 409);
    if (refused?.code !== "activation_limit_reached")
      throw new Error(`limit reached: expected activation_limit_reached, got ${JSON.stringify(refused)}`);
    return { key, machineId: extra };
  });
  const limitBodies = full.map((l) => ({ body: activateBody(l.key, l.machineId) }));
  const subscriber = await purchase("status");
  const accessToken = await fakeLogto.signAccessToken(subscriber.p.logtoUserId);
  const status = must(
    await api("GET", "/subscriptions/status", { headers: { Authorization: `Bearer ${accessToken}` } }),
    200,
    "status",
  );
  if (status.status !== "active") throw new Error(`status of the bench subscriber: ${JSON.stringify(status)}`);
  let taken = 0;
  /** The next `n` "new machine" requests, never handed out twice. */
  const takeNewMachineBodies = (n) => {
    const bodies = newMachineBodies.slice(taken, taken + n);
    taken += n;
    return bodies;
  };
  return { licenses, accessToken, takeNewMachineBodies, limitBodies };
}

/** The passes runPhases runs, in order (issue 25). */
export const PASSES = {
  latency: (opts) => ({
    name: "latency",
    connections: opts.latencyConnections,
    warmup: opts.latencyWarmup,
    amount: opts.latencyAmount,
    profile: false,
  }),
  throughput: (opts) => ({
    name: "throughput",
    connections: opts.connections,
    warmup: opts.warmup,
    amount: opts.amount,
    profile: true,
  }),
};

/**
 * One pass (PASSES) over the endpoints its targets name; returns one entry per endpoint for the report.
 * With `pass.profile`, each endpoint and its floor get one more run under the CPU profiler.
 */
export async function runPhases({ bundle, dbCounter, servers, data, load, pass }) {
  const { secrets, service, plainFloor, dbFloor, sql } = servers;
  const { licenses, accessToken, limitBodies } = data;
  const snapshot = dbCounter.snapshot;
  const profileAmount = PROFILE_AMOUNT;
  const targets = TARGETS[pass.name];
  const newMachineBodies = data.takeNewMachineBodies(pass.warmup + pass.amount + (pass.profile ? profileAmount : 0));
  const json = { "content-type": "application/json" };
  await load.loadBodies(
    "validate",
    licenses.map((l) => ({ body: JSON.stringify({ key: l.key, machine_id: l.machineId }) })),
    true,
  );
  await load.loadBodies(
    "activate",
    licenses.map((l) => ({ body: activateBody(l.key, l.machineId) })),
    true,
  );
  await load.loadBodies("activateNew", newMachineBodies, false);
  await load.loadBodies("activateLimit", limitBodies, true);
  // Subscriptions we never heard of: the consumer records and ignores them.
  const webhookEvents = (count) => stripe.signedInvoiceBodies("wh", count, secrets.webhook);

  const allPhases = [
    {
      name: "jwks",
      label: "GET /.well-known/jwks.json",
      request: { method: "GET", path: "/.well-known/jwks.json" },
      // What one log line per request costs in wrangler dev, next to the floor that writes none.
      reference: { name: "plain floor + 1 log line", headers: { "x-bench-log": "1" } },
    },
    {
      name: "webhook",
      label: "POST /subscriptions/webhook",
      request: { method: "POST", path: "/subscriptions/webhook", headers: json, bodiesKey: "webhook" },
    },
    {
      name: "validate",
      label: "POST /licenses/validate",
      request: {
        method: "POST",
        path: "/licenses/validate",
        headers: json,
        bodiesKey: "validate",
        sampleBody: licenses[0] && JSON.stringify({ key: licenses[0].key, machine_id: licenses[0].machineId }),
      },
    },
    {
      name: "activate",
      label: "POST /licenses/activate (re-activation)",
      request: {
        method: "POST",
        path: "/licenses/activate",
        headers: json,
        bodiesKey: "activate",
        sampleBody: activateBody(licenses[0].key, licenses[0].machineId),
      },
    },
    {
      name: "activateNew",
      label: "POST /licenses/activate (new machine)",
      request: {
        method: "POST",
        path: "/licenses/activate",
        headers: json,
        bodiesKey: "activateNew",
        sampleBody: newMachineBodies[0].body,
      },
    },
    {
      name: "activateLimit",
      label: "POST /licenses/activate (limit reached)",
      expectStatus: 409,
      request: {
        method: "POST",
        path: "/licenses/activate",
        headers: json,
        bodiesKey: "activateLimit",
        sampleBody: limitBodies[0].body,
      },
    },
    {
      name: "status",
      label: "GET /subscriptions/status",
      request: { method: "GET", path: "/subscriptions/status", headers: { Authorization: `Bearer ${accessToken}` } },
    },
  ];
  const phases = allPhases.filter((p) => p.name in targets);

  const emptyPool = () => ({
    latencies: [],
    statuses: {},
    errors: 0,
    seconds: 0,
    bodiesUsed: 0,
    db: { requests: 0, statements: 0, ms: 0 },
  });
  const runInto = async (pool, target, amount, title) => {
    const before = snapshot();
    const isTTY = process.stdout.isTTY;
    const r = await load.run(
      target,
      amount,
      (n) => isTTY && process.stdout.write(`\r      ${title}: ${n}/${amount}   `),
      pass.connections,
    );
    if (isTTY) process.stdout.write("\r\x1b[K");
    const after = snapshot();
    pool.latencies.push(...r.latencies);
    for (const [code, n] of Object.entries(r.statuses)) pool.statuses[code] = (pool.statuses[code] ?? 0) + n;
    pool.errors += r.errors;
    pool.seconds += r.seconds;
    pool.bodiesUsed += r.bodiesUsed;
    for (const k of ["requests", "statements", "ms"]) pool.db[k] += after[k] - before[k];
    return r;
  };
  // `expectStatus`: the answer that phase is about (limit reached: 409); otherwise any 2xx.
  const finish = (pool, expectStatus) => {
    const n = pool.latencies.length;
    const expected = (code) => (expectStatus ? code === String(expectStatus) : code.startsWith("2"));
    const ok = Object.entries(pool.statuses)
      .filter(([code]) => expected(code))
      .reduce((a, [, c]) => a + c, 0);
    return {
      ...summarize(pool.latencies),
      rps: n / pool.seconds,
      statuses: pool.statuses,
      failed: n - ok + pool.errors,
      db: {
        roundTripsPerRequest: pool.db.requests / n,
        statementsPerRequest: pool.db.statements / n,
        msPerRequest: pool.db.ms / n,
      },
    };
  };
  const describe = (title, r) =>
    `      ${title.padEnd(24)} p50 ${ms(r.p50).padStart(5)} ms  p99 ${ms(r.p99).padStart(5)} ms  ${r.rps.toFixed(0).padStart(4)} req/s  ` +
    `${r.db.roundTripsPerRequest.toFixed(2)} DB round trips (${r.db.msPerRequest.toFixed(2)} ms in the DB endpoint)/request` +
    (r.failed ? `  ${r.failed} FAILED ${JSON.stringify(r.statuses)}` : "");

  const inspectors = {
    service: service.inspectorOrigin,
    plain: plainFloor.inspectorOrigin,
    db: dbFloor.inspectorOrigin,
  };
  /** One more run of `target` under the CPU profiler of `worker`: isolate CPU per request and where it went. */
  // Attached only for the profiled run: an inspector session slows the isolate down for as long as it is open.
  const profiled = async (worker, target, title) => {
    const profiler = await connectProfiler(inspectors[worker]);
    onCleanup(`profiler (${worker})`, () => profiler.close());
    await profiler.start();
    const pool = emptyPool();
    await runInto(pool, target, profileAmount, `${title} (profiled)`);
    const profile = attribute(await profiler.stop(), worker === "service" ? bundle.sourceMap : null);
    profiler.close();
    return { ...profile, requests: pool.latencies.length, cpuMsPerRequest: profile.busyMs / pool.latencies.length };
  };

  const appliedEvents = async () => {
    const { rows } = await sql.query(
      "select count(*)::int as n from stripe_events where type = 'invoice.payment_succeeded' and status in ('processed', 'ignored')",
    );
    return rows[0].n;
  };
  /** Waits until the queue consumer has applied `expected` bench webhook events (they are recorded and ignored). */
  const waitForConsumer = async (expected) => {
    const waitStart = performance.now();
    let done = 0;
    while (performance.now() - waitStart < 120_000) {
      done = await appliedEvents();
      if (done >= expected) break;
      await sleep(100);
    }
    if (done < expected)
      throw new Error(`the queue consumer applied ${done} of ${expected} webhook events within 120 s`);
    return { events: expected, applied: done, waitedMs: performance.now() - waitStart };
  };

  const endpoints = [];
  const chunk = Math.ceil(pass.amount / ROUNDS);
  log(
    `5/7 ${pass.name} at ${pass.connections} connections: ${pass.warmup} warm-up requests each, then ${pass.amount} measured in ${ROUNDS} rounds alternating with the floor${pass.profile ? `, then ${profileAmount} of each under the CPU profiler` : ""}`,
  );
  for (const [i, phase] of phases.entries()) {
    const target = targets[phase.name];
    const floorWorker = target.floor === "plain" ? plainFloor : dbFloor;
    log(`    ${i + 1}/${phases.length} ${phase.label} (floor: ${target.floor})`);
    const { method, path, headers, bodiesKey } = phase.request;
    let sampleBody = phase.request.sampleBody;
    if (phase.name === "webhook") {
      // Signed now: Stripe's signatures are good for 300 s.
      const list = await webhookEvents(pass.warmup + pass.amount + (pass.profile ? profileAmount : 0));
      await load.loadBodies("webhook", list, false);
      sampleBody = list[0].body;
    }
    const runs = [
      // The floor needs no fresh bodies: one of the same size does.
      {
        key: "floor",
        title: `${target.floor} floor`,
        target: { url: floorWorker.origin + path, method, headers, ...(sampleBody ? { body: sampleBody } : {}) },
      },
      {
        key: "service",
        title: phase.name,
        target: { url: service.origin + path, method, headers, ...(bodiesKey ? { bodiesKey } : {}) },
      },
    ];
    if (phase.reference) {
      runs.push({
        key: "reference",
        title: phase.reference.name,
        target: { url: plainFloor.origin + path, method, headers: { ...headers, ...phase.reference.headers } },
      });
    }
    const pools = Object.fromEntries(runs.map((r) => [r.key, emptyPool()]));
    // The table may hold events of earlier runs: count from what it held before this phase's warm-up.
    const eventsBefore = phase.name === "webhook" ? await appliedEvents() : 0;
    for (const r of runs) await runInto(emptyPool(), r.target, pass.warmup, `${r.title} warm-up`);
    // The queue consumer applies webhook events in the same isolate: the floor must not run while it does.
    // Its database work is counted with the chunk it follows: per request, it is the consumer's per event.
    let consumerWaitMs = 0;
    const settle = async () => {
      if (phase.name !== "webhook") return;
      const before = snapshot();
      consumerWaitMs += (await waitForConsumer(webhookEventsUsed())).waitedMs;
      const after = snapshot();
      for (const k of ["requests", "statements", "ms"]) pools.service.db[k] += after[k] - before[k];
    };
    const webhookEventsUsed = () => eventsBefore + pass.warmup + pools.service.bodiesUsed;
    if (phase.name === "webhook") await waitForConsumer(eventsBefore + pass.warmup); // the warm-up's events, not counted
    for (let round = 0; round < ROUNDS; round++) {
      const amount = Math.min(chunk, pass.amount - round * chunk);
      for (const r of runs) {
        await runInto(pools[r.key], r.target, amount, `${r.title} (round ${round + 1}/${ROUNDS})`);
        if (r.key === "service") await settle();
      }
    }
    const floor = finish(pools.floor);
    const result = finish(pools.service, phase.expectStatus);
    log(describe(`${target.floor} floor`, floor));
    log(describe(phase.name, result));
    const ratio = result.p99 / floor.p99;
    const p50Ratio = result.p50 / floor.p50;
    const entry = {
      name: phase.name,
      label: phase.label,
      pass: pass.name,
      connections: pass.connections,
      ...result,
      expectStatus: phase.expectStatus ?? "2xx",
      floor: { name: target.floor, ...floor },
      ratio,
      p50Ratio,
      target: target.maxRatio,
      targetP50: target.maxP50Ratio,
      rpsRatio: result.rps / floor.rps,
      passed:
        target.maxRatio === null
          ? null
          : ratio <= target.maxRatio &&
            (target.maxP50Ratio === null || p50Ratio <= target.maxP50Ratio) &&
            result.failed === 0,
    };
    if (phase.reference) {
      const ref = finish(pools.reference);
      log(describe(phase.reference.name, ref));
      entry.reference = { name: phase.reference.name, ...ref, ratio: ref.p99 / floor.p99 };
    }
    if (phase.name === "webhook") {
      // Measured events over the time from each chunk's first request to its last event applied.
      const eventsPerSecond = pools.service.bodiesUsed / (pools.service.seconds + consumerWaitMs / 1000);
      entry.consumer = { events: pools.service.bodiesUsed, backlogAfterChunksMs: consumerWaitMs, eventsPerSecond };
      entry.dbNote = "queue consumer, per event (the webhook request itself makes none)";
      log(
        `      queue consumer: ${eventsPerSecond.toFixed(0)} events/s applied (backlog left after the ${ROUNDS} chunks: ${ms(consumerWaitMs)} ms in all)`,
      );
    }
    if (pass.profile) {
      const serviceProfile = await profiled("service", runs[1].target, phase.name);
      pools.service.bodiesUsed += serviceProfile.requests; // fresh webhook events used up
      await settle();
      const floorProfile = await profiled(target.floor, runs[0].target, `${target.floor} floor`);
      entry.profile = {
        service: serviceProfile,
        floor: { cpuMsPerRequest: floorProfile.cpuMsPerRequest, busySamples: floorProfile.busySamples },
        cpuRatio: serviceProfile.cpuMsPerRequest / floorProfile.cpuMsPerRequest,
      };
      const top = serviceProfile.sections
        .slice(0, 6)
        .map((x) => `${x.name} ${(x.share * 100).toFixed(0)}%`)
        .join(", ");
      log(
        `      CPU in the isolate: ${serviceProfile.cpuMsPerRequest.toFixed(2)} ms/request (${target.floor} floor: ${floorProfile.cpuMsPerRequest.toFixed(2)}); by package: ${top}`,
      );
    }
    endpoints.push(entry);
  }
  return endpoints;
}
