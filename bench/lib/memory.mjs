// Step 6b: the isolate's own heap under a flood (issue 8/8). A Worker isolate past 128 MB is killed with
// the requests it serves, and the moment that matters is one an attacker makes: a flood we answer 429.
// workerd's resident memory says little (wrangler dev relays every log line through its inspector,
// and V8 keeps freed pages), so this reads V8's heap itself through the inspector wrangler dev opens:
// `Runtime.getHeapUsage`, sampled while each phase runs (the largest heap seen) and read again after
// `HeapProfiler.collectGarbage` (what is retained). Targets: after GC the heap is back within
// MEMORY_TARGETS.retainedMiB of where it started, and it never passes MEMORY_TARGETS.peakMiB.
import { readFileSync } from "node:fs";
import { groupMembers } from "../../tools/local-stack/process-group.mjs";
import { appliedInvoiceEvents } from "./consumer.mjs";
import { compareSnapshots, readSnapshot, takeHeapSnapshot } from "./heap-snapshot.mjs";
import { connectInspector } from "./profiler.mjs";
import { log, ms, sleep } from "./settings.mjs";
import * as stripe from "./stripe-objects.mjs";

const MiB = 1024 * 1024;
const MEMORY_TARGETS = { retainedMiB: 5, peakMiB: 64 };

/**
 * `service` is a second instance of the service with its rate limiters on (startLimitedService).
 * One without an inspector (startLimitedServiceWithoutInspector) gets the same floods, and only its
 * resident memory is measured (the heap figures are null).
 */
export async function runMemoryPhases({ opts, servers, service, load }) {
  const { secrets, sql } = servers;
  const n = opts.flood;
  const inspector = service.inspectorOrigin ? await connectInspector(service.inspectorOrigin) : null;
  try {
    const heapUsed = async () => (inspector ? (await inspector.call("Runtime.getHeapUsage")).usedSize : null);
    const afterGc = async () => {
      if (!inspector) return null;
      // Twice: the first pass can leave objects whose finalizers free more on the second.
      await collectGarbage(inspector, service.origin);
      await collectGarbage(inspector, service.origin);
      return heapUsed();
    };
    const start = await afterGc();
    const rssAtStart = residentMemory(service.proc.pgid);
    log(
      `6b  memory: heap ${mib(start)} MiB after GC at the start (workerd resident: ${describeRss(rssAtStart)}); floods of ${n} requests`,
    );
    // --snapshots: a heap snapshot after each GC, and what grew since the previous one (with retainer paths).
    let snapshot = opts.snapshots ? readSnapshot(await takeHeapSnapshot(inspector)) : null;
    let peak = start;
    const phases = [];
    /** Sends one flood while sampling the heap every 100 ms; resolves with the flood's own largest heap. */
    const flood = async (name, target, bodies, until = async () => {}) => {
      await load.loadBodies(name, bodies, false);
      let sampling = true;
      let phasePeak = 0;
      const sampler = (async () => {
        while (sampling && inspector) {
          phasePeak = Math.max(phasePeak, await heapUsed());
          await sleep(100);
        }
      })();
      const sent = await load.run({ ...target, bodiesKey: name }, bodies.length);
      await until();
      sampling = false;
      await sampler;
      peak = Math.max(peak, phasePeak);
      return { sent, phasePeak: inspector ? phasePeak : null };
    };
    const record = async (name, label, { sent, phasePeak }, extra = {}) => {
      const after = await afterGc();
      const rss = residentMemory(service.proc.pgid);
      const phase = {
        name,
        label,
        requests: sent.latencies.length,
        statuses: sent.statuses,
        heapAfterGcBytes: after,
        retainedBytes: inspector ? after - start : null,
        retainedPass: inspector ? after - start <= MEMORY_TARGETS.retainedMiB * MiB : null,
        peakBytes: phasePeak,
        peakPass: inspector ? phasePeak <= MEMORY_TARGETS.peakMiB * MiB : null,
        residentBytes: rss,
        ...extra,
      };
      if (snapshot) {
        const next = readSnapshot(await takeHeapSnapshot(inspector));
        phase.grewSincePrevious = compareSnapshots(snapshot, next, 6);
        snapshot = next;
      }
      phases.push(phase);
      log(
        `    ${label}: ${JSON.stringify(sent.statuses)}; heap after GC ${mib(after)} MiB (${signed(phase.retainedBytes)} MiB since the start: ${verdict(phase.retainedPass)}), largest seen ${mib(phasePeak)} MiB (${verdict(phase.peakPass)}); workerd resident: ${describeRss(rss)}`,
      );
      for (const g of phase.grewSincePrevious ?? [])
        log(
          `      grew: ${g.group} ${g.countDelta >= 0 ? "+" : ""}${g.countDelta} objects, +${(g.bytesDelta / 1024).toFixed(1)} KiB; a new one: ${g.retainerPath}`,
        );
    };
    const validateBody = (i) =>
      JSON.stringify({ key: `SR-BASE-flood${i}.e30.c2ln`, machine_id: `flood-machine-${String(i).padStart(8, "0")}` });
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
      residentAtStartBytes: rssAtStart,
      phases,
      inspector: inspector !== null,
      largestBytes: inspector ? peak : null,
      retainedBytes: inspector ? last - start : null,
      targets: MEMORY_TARGETS,
      // Every phase, not only the last: a phase may retain what a later one happens to release.
      retainedPass: inspector ? phases.every((p) => p.retainedPass) : null,
      peakPass: inspector ? peak <= MEMORY_TARGETS.peakMiB * MiB : null,
    };
    result.pass = inspector ? result.retainedPass && result.peakPass : null;
    log(
      `    retained ${signed(result.retainedBytes)} MiB after GC (target ≤ ${MEMORY_TARGETS.retainedMiB}), largest heap ${mib(result.largestBytes)} MiB (target ≤ ${MEMORY_TARGETS.peakMiB}): ${verdict(result.pass)}`,
    );
    return result;
  } finally {
    inspector?.close();
  }
}

/**
 * V8 answers HeapProfiler.collectGarbage from a task it posts to the isolate's foreground runner,
 * and workerd runs those tasks only after the isolate has served a request (IoContext pumps V8's
 * message loop there): an idle isolate never answers. So: ask, then send one request for an unknown
 * path (no database, no limiter) at a time until the answer comes.
 */
async function collectGarbage(inspector, origin) {
  let answered = false;
  const done = inspector.call("HeapProfiler.collectGarbage").finally(() => {
    answered = true;
  });
  done.catch(() => {});
  for (let i = 0; !answered && i < 100; i++) {
    await fetch(`${origin}/__gc-poke`, { signal: AbortSignal.timeout(5000) })
      .then((res) => res.arrayBuffer())
      .catch(() => {});
    await Promise.race([done.catch(() => {}), sleep(20)]);
  }
  await done;
}

/**
 * Resident memory of the two workerd processes wrangler dev runs: `runtime` (the service's isolate)
 * and `proxy` (wrangler's proxy worker, and with an inspector its inspector-relay worker).
 * Not the isolate's heap: V8 keeps freed pages, and the runtime holds what the inspector relays.
 */
function residentMemory(pgid) {
  const rss = { runtime: 0, proxy: 0 };
  for (const pid of groupMembers(pgid)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmdline.includes("workerd")) continue;
      const kib = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      // The proxy listens on the service's port; the runtime on a port of its own choosing (:0).
      rss[/--socket-addr=entry=[\d.]+:0\0/.test(cmdline) ? "runtime" : "proxy"] += kib * 1024;
    } catch {
      // exited while we looked
    }
  }
  return rss;
}

const describeRss = ({ runtime, proxy }) => `runtime ${mib(runtime)} MiB, proxy ${mib(proxy)} MiB`;

/** A distinct address per request, from 198.18.0.0/15 (set aside for benchmarks, RFC 2544): only a header. */
function randomIp(i) {
  const n = (i * 2654435761) % 131072;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

const verdict = (pass) => (pass === null ? "not measured (no inspector)" : pass ? "pass" : "MISS");
export const mib = (bytes) => (bytes === null ? "—" : ms(bytes / MiB));
const signed = (bytes) => (bytes === null ? "—" : `${bytes >= 0 ? "+" : "−"}${ms(Math.abs(bytes) / MiB)}`);
