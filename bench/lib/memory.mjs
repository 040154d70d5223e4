// Step 6b: the isolate's own heap under a flood (issue 8/8). A Worker isolate past 128 MB is killed with
// the requests it serves, and the moment that matters is one an attacker makes: a flood we answer 429.
// workerd's resident memory says little (wrangler dev relays every log line through its inspector,
// and V8 keeps freed pages), so this reads V8's heap itself through the inspector wrangler dev opens:
// `Runtime.getHeapUsage`, sampled while each phase runs (the largest heap seen) and read again after
// `HeapProfiler.collectGarbage` (what is retained). Targets: after GC the heap is back within
// MEMORY_TARGETS.retainedMiB of where it started, and it never passes MEMORY_TARGETS.peakMiB.
import { appliedInvoiceEvents } from "./consumer.mjs";
import { connectInspector } from "./profiler.mjs";
import { log, ms, sleep } from "./settings.mjs";
import * as stripe from "./stripe-objects.mjs";

const MiB = 1024 * 1024;
const MEMORY_TARGETS = { retainedMiB: 5, peakMiB: 64 };

/** `service` is a second instance of the service with its rate limiters on (startLimitedService). */
export async function runMemoryPhases({ opts, servers, service, load }) {
  const { secrets, sql } = servers;
  const n = opts.flood;
  const inspector = await connectInspector(service.inspectorOrigin);
  try {
    const heapUsed = async () => (await inspector.call("Runtime.getHeapUsage")).usedSize;
    const afterGc = async () => {
      // Twice: the first pass can leave objects whose finalizers free more on the second.
      await inspector.call("HeapProfiler.collectGarbage");
      await inspector.call("HeapProfiler.collectGarbage");
      return heapUsed();
    };
    const start = await afterGc();
    log(`6b  memory: heap ${mib(start)} MiB after GC at the start; floods of ${n} requests`);
    let peak = start;
    const phases = [];
    /** Sends one flood while sampling the heap every 100 ms; resolves with the flood's own largest heap. */
    const flood = async (name, target, bodies, until = async () => {}) => {
      await load.loadBodies(name, bodies, false);
      let sampling = true;
      let phasePeak = 0;
      const sampler = (async () => {
        while (sampling) {
          phasePeak = Math.max(phasePeak, await heapUsed());
          await sleep(100);
        }
      })();
      const sent = await load.run({ ...target, bodiesKey: name }, bodies.length);
      await until();
      sampling = false;
      await sampler;
      peak = Math.max(peak, phasePeak);
      return { sent, phasePeak };
    };
    const record = async (name, label, { sent, phasePeak }, extra = {}) => {
      const after = await afterGc();
      phases.push({
        name,
        label,
        requests: sent.latencies.length,
        statuses: sent.statuses,
        heapAfterGcBytes: after,
        peakBytes: phasePeak,
        ...extra,
      });
      log(
        `    ${label}: ${JSON.stringify(sent.statuses)}; heap after GC ${mib(after)} MiB (${signed(after - start)} MiB since the start), largest seen ${mib(phasePeak)} MiB`,
      );
    };
    const validateBody = (i) => JSON.stringify({ key: `SR-BASE-flood${i}.e30.c2ln`, machine_id: `flood-${i}` });
    const json = { "content-type": "application/json" };

    // 1. One address: after its first 120 a minute, every answer is 429 from the per-IP limiter.
    const oneIp = Array.from({ length: n }, (_, i) => ({
      body: validateBody(i),
      headers: { "cf-connecting-ip": "203.0.113.7" },
    }));
    const validate = { url: `${service.origin}/licenses/validate`, method: "POST", headers: json };
    await record("validateOneIp", `${n} validate from one address`, await flood("validate-one-ip", validate, oneIp));

    // 2. A new address each time: every request gets its own limiter key.
    const randomIps = Array.from({ length: n }, (_, i) => ({
      body: validateBody(i),
      headers: { "cf-connecting-ip": randomIp(i) },
    }));
    await record(
      "validateRandomIps",
      `${n} validate from random addresses`,
      await flood("validate-random-ips", validate, randomIps),
    );

    // 3. Unknown paths, each different (nothing may be cached per path).
    const notFound = Array.from({ length: n }, (_, i) => ({
      body: "",
      headers: { "cf-connecting-ip": randomIp(n + i) },
    }));
    await record(
      "notFound",
      `${n} requests for an unknown path`,
      await flood("not-found", { url: `${service.origin}/no-such-path`, method: "GET" }, notFound),
    );

    // 4. Webhooks, until the consumer has applied every one (the heap of both handlers counts).
    const webhooks = Math.min(1000, n);
    const bodies = await stripe.signedInvoiceBodies("memory", webhooks, secrets.webhook);
    const applied = () => appliedInvoiceEvents(sql);
    const before = await applied();
    const allApplied = async () => {
      const deadline = performance.now() + 120_000;
      while (performance.now() < deadline && (await applied()) - before < webhooks) await sleep(100);
    };
    const sent = await flood(
      "webhooks",
      { url: `${service.origin}/subscriptions/webhook`, method: "POST", headers: json },
      bodies,
      allApplied,
    );
    await record("webhooks", `${webhooks} webhooks, applied by the consumer`, sent, {
      applied: (await applied()) - before,
    });

    const last = phases.at(-1).heapAfterGcBytes;
    const result = {
      startBytes: start,
      phases,
      largestBytes: peak,
      retainedBytes: last - start,
      targets: MEMORY_TARGETS,
      retainedPass: last - start <= MEMORY_TARGETS.retainedMiB * MiB,
      peakPass: peak <= MEMORY_TARGETS.peakMiB * MiB,
    };
    result.pass = result.retainedPass && result.peakPass;
    log(
      `    retained ${signed(result.retainedBytes)} MiB after GC (target ≤ ${MEMORY_TARGETS.retainedMiB}), largest heap ${mib(peak)} MiB (target ≤ ${MEMORY_TARGETS.peakMiB}): ${result.pass ? "pass" : "MISS"}`,
    );
    return result;
  } finally {
    inspector.close();
  }
}

/** A distinct address per request, from 198.18.0.0/15 (set aside for benchmarks, RFC 2544): only a header. */
function randomIp(i) {
  const n = (i * 2654435761) % 131072;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

export const mib = (bytes) => ms(bytes / MiB);
const signed = (bytes) => `${bytes >= 0 ? "+" : "−"}${ms(Math.abs(bytes) / MiB)}`;
