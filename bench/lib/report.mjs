// Step 7: the tables on the console and bench/results.json (docs/performance.md is written from it).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { mib } from "./memory.mjs";
import { LICENSE_POOL, log, ms, PURCHASE_INTERVAL_MS, REFUND_CONCURRENCY, started, TARGETS } from "./settings.mjs";

/**
 * The first argument is what the bench set up (options, workspace, fake servers), the second what
 * each step measured, under the names the tables and bench/results.json give them.
 */
export function report({ opts, workspace, servers }, measured) {
  const { fakeStripe, fakeResend, fakeLogto } = servers;
  const { floors, loadAverages } = measured;
  log("7/7 results");
  // The bundle as reported: its target and verdict, without the paths the earlier steps ran it from.
  const bundle = {
    ...measured.bundle,
    file: undefined,
    sourceMap: undefined,
    targetGzipKiB: TARGETS.bundleGzipKiB,
    pass: measured.bundle.gzipKiB <= TARGETS.bundleGzipKiB,
  };
  const figures = summaryFigures({ ...measured, bundle });
  printTable({ opts, ...measured, bundle });
  printFigures(figures);
  printMemory(measured.memory);
  log(`load average (1, 5, 15 min): ${loadAverages.atStart} at the start, ${loadAverages.atEnd} at the end`);

  const results = {
    finishedAt: new Date().toISOString(),
    code: codeUnderTest(),
    durationSec: (performance.now() - started) / 1000,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverages,
    },
    settings: {
      ...opts,
      licensePool: LICENSE_POOL,
      refundConcurrency: REFUND_CONCURRENCY,
      purchaseIntervalMs: PURCHASE_INTERVAL_MS,
      rateLimitDisabled: true,
    },
    figures,
    endpoints: measured.endpoints,
    consumer: measured.consumer,
    pipelines: measured.pipelines,
    bundle,
    floorBundles: floors && Object.fromEntries(Object.entries(floors).map(([k, v]) => [k, { ...v, file: undefined }])),
    startup: measured.startup,
    cold: measured.cold,
    memory: measured.memory,
    stripeApiCalls: fakeStripe.callCounts(),
    resendPosts: fakeResend.posts(),
    logtoJwksFetches: fakeLogto.hits(),
  };
  writeFileSync("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
  const code = results.code;
  if (code)
    log(
      `code measured: ${code.commit}${code.uncommitted.length ? ` plus uncommitted changes to ${code.uncommitted.join(", ")}` : ""}`,
    );
  log(`results written to bench/results.json (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
  if (opts.keepLogs) log(`the servers' output is kept in ${workspace.logs}`);
}

const verdict = (pass) => (pass === null || pass === undefined ? "info" : pass ? "pass" : "MISS");
const ratioText = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "—");

/**
 * Every figure with a target, in one list (bench/results.json `figures`): what was measured, beside
 * what (the floor, same run), the target and pass/MISS. Figures without a target are in the tables only.
 */
function summaryFigures({ startup, cold, endpoints, consumer, pipelines, bundle }) {
  const figures = [
    {
      figure: "startup (global scope)",
      value: startup.ms,
      floor: startup.floorMs,
      ratio: startup.ratio,
      target: `≤ ${TARGETS.startupMaxRatio}× the stack floor`,
      pass: startup.pass,
    },
    {
      figure: "cold: first validate of a fresh isolate",
      value: cold.service?.firstMs ?? null,
      floor: cold.floor?.firstMs ?? null,
      ratio: cold.ratio ?? null,
      target: `≤ ${TARGETS.coldMaxRatio}× the db floor's first request`,
      pass: cold.pass,
    },
  ];
  for (const e of endpoints) {
    if (e.target === null) continue;
    figures.push({
      figure: `${e.label}, ${e.connections} connections: p50`,
      value: e.p50,
      floor: e.floor.p50,
      ratio: e.p50Ratio,
      target: e.targetP50 === null ? "—" : `≤ ${e.targetP50}× ${e.floor.name} floor`,
      pass: e.targetP50 === null ? null : e.p50Ratio <= e.targetP50 && e.failed === 0,
    });
    figures.push({
      figure: `${e.label}, ${e.connections} connections: p99`,
      value: e.p99,
      floor: e.floor.p99,
      ratio: e.ratio,
      target: `≤ ${e.target}× ${e.floor.name} floor`,
      pass: e.ratio <= e.target && e.failed === 0,
    });
  }
  const end = (figure, x) => ({
    figure,
    value: x.p99,
    floor: null,
    ratio: null,
    target: `p99 ≤ ${x.targetP99Ms} ms`,
    pass: x.pass,
  });
  figures.push(
    end("checkout webhook 200 → email at Resend", pipelines.checkoutToEmail),
    end("refund webhook 200 → validate says revoked", pipelines.refundToRevoked),
    end("checkout webhook 200 → success page has the key", pipelines.paymentToKey),
    {
      figure: "queue consumer burst",
      value: consumer.eventsPerSecond,
      floor: null,
      ratio: null,
      target: `≥ ${consumer.targetEventsPerSecond} events/s`,
      pass: consumer.pass,
    },
    {
      figure: "bundle gzip KiB",
      value: bundle.gzipKiB,
      floor: null,
      ratio: null,
      target: `≤ ${bundle.targetGzipKiB} KiB`,
      pass: bundle.pass,
    },
  );
  return figures.map((f) => ({ ...f, result: verdict(f.pass) }));
}

function printFigures(figures) {
  const rows = [["figure (targets)", "value", "floor", "ratio", "target", "result"]];
  for (const f of figures) rows.push([f.figure, ms(f.value), ms(f.floor), ratioText(f.ratio), f.target, f.result]);
  printRows(rows);
  console.log("");
}

function printRows(table) {
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
  console.log("");
  for (const [n, row] of table.entries()) {
    console.log(
      row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join("  "),
    );
    if (n === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

/** The commit the bundle was built from, and any uncommitted changes to what goes into it. */
function codeUnderTest() {
  try {
    const git = (...args) => execFileSync("git", args, { encoding: "utf8" });
    const changed = git("status", "--porcelain", "--", "src", "wrangler.toml", "package-lock.json")
      .split("\n")
      .filter(Boolean);
    return { commit: git("rev-parse", "--short", "HEAD").trim(), uncommitted: changed.map((line) => line.slice(3)) };
  } catch {
    return null; // not a git checkout
  }
}

function printTable({ opts, endpoints, consumer, pipelines, bundle, startup, cold }) {
  console.log(
    `\nat ${opts.dbRttMs} ms per database round trip (the local Neon endpoint's delay, for the service and the db floor alike)`,
  );
  const rows = [
    [
      "endpoint",
      "conns",
      "p50 ms",
      "p99 ms",
      "req/s",
      "floor req/s",
      "CPU ms/req (floor)",
      "DB rt/req",
      "floor p50/p99 ms",
      "p50/floor",
      "p99/floor",
      "target",
      "result",
    ],
  ];
  const targetText = (e) =>
    e.target === null
      ? "—"
      : `${e.targetP50 === null ? "" : `p50 ≤ ${e.targetP50}×, `}p99 ≤ ${e.target}× ${e.floor.name}`;
  for (const e of endpoints) {
    rows.push([
      e.label,
      String(e.connections),
      ms(e.p50),
      ms(e.p99),
      e.rps.toFixed(0),
      e.floor.rps.toFixed(0),
      e.profile
        ? `${e.profile.service.cpuMsPerRequest.toFixed(2)} (${e.profile.floor.cpuMsPerRequest.toFixed(2)})`
        : "—",
      e.db.roundTripsPerRequest.toFixed(2) + (e.dbNote ? "*" : ""),
      `${ms(e.floor.p50)}/${ms(e.floor.p99)} (${e.floor.name})`,
      `${e.p50Ratio.toFixed(2)}×`,
      `${e.ratio.toFixed(2)}×`,
      targetText(e),
      verdict(e.passed) + (e.failed ? ` (${e.failed} failed)` : ""),
    ]);
    if (e.reference) {
      const ref = e.reference;
      rows.push([
        `  (${ref.name})`,
        String(e.connections),
        ms(ref.p50),
        ms(ref.p99),
        ref.rps.toFixed(0),
        "",
        "—",
        "0.00",
        `${ms(e.floor.p50)}/${ms(e.floor.p99)} (${e.floor.name})`,
        `${(ref.p50 / e.floor.p50).toFixed(2)}×`,
        `${ref.ratio.toFixed(2)}×`,
        "—",
        "info",
      ]);
    }
  }
  const q = consumer;
  const rowsQ = [
    [
      "queue consumer (burst)",
      "events",
      "drained ms",
      "events/s",
      "invocations",
      "events/inv",
      "ms/inv",
      "events/s per inv",
      "DB rt/event",
      "target",
      "result",
    ],
    [
      "webhook 200s → all events applied",
      String(q.events),
      ms(q.drainedMs),
      q.eventsPerSecond.toFixed(0),
      String(q.invocations),
      q.eventsPerInvocation === null ? "—" : q.eventsPerInvocation.toFixed(1),
      ms(q.invocationMsMean),
      q.eventsPerSecondPerInvocation === null ? "—" : q.eventsPerSecondPerInvocation.toFixed(0),
      q.dbRoundTripsPerEvent.toFixed(2),
      `≥ ${q.targetEventsPerSecond} events/s`,
      verdict(q.pass),
    ],
  ];
  const c = pipelines.checkoutToEmail;
  const r = pipelines.refundToRevoked;
  const k = pipelines.paymentToKey;
  const rows2 = [
    ["end to end", "p50 ms", "p99 ms", "max ms", "n", "target", "result"],
    [
      "checkout webhook 200 → email at Resend",
      ms(c.p50),
      ms(c.p99),
      ms(c.max),
      String(c.count),
      `p99 ≤ ${c.targetP99Ms} ms`,
      verdict(c.pass),
    ],
    [
      "refund webhook 200 → validate says revoked",
      ms(r.p50),
      ms(r.p99),
      ms(r.max),
      String(r.count),
      `p99 ≤ ${r.targetP99Ms} ms`,
      verdict(r.pass),
    ],
    [
      `checkout webhook 200 → success page has the key (polled every ${k.pollMs} ms)`,
      ms(k.p50),
      ms(k.p99),
      ms(k.max),
      String(k.count),
      `p99 ≤ ${k.targetP99Ms} ms`,
      verdict(k.pass),
    ],
  ];
  const rows3 = [
    ["bundle (wrangler deploy --dry-run)", "raw KiB", "gzip KiB", "target", "result"],
    [
      `as deployed${bundle.minified ? " (minified)" : " (not minified)"}`,
      ms(bundle.rawKiB),
      ms(bundle.gzipKiB),
      `gzip ≤ ${bundle.targetGzipKiB} KiB`,
      verdict(bundle.pass),
    ],
  ];
  const startupText =
    startup.ms === null
      ? `not measured: ${startup.error}`
      : `${ms(startup.ms)} ms, stack floor (bench/floors/stack.ts) ${ms(startup.floorMs)} ms: ${ratioText(startup.ratio)} (target ≤ ${startup.targetRatio}×) ${verdict(startup.pass)}`;
  const coldText = cold.error
    ? `not measured: ${cold.error}`
    : `first validate ${ms(cold.service.firstMs)} ms (a second one in the same isolate ${ms(cold.service.secondMs)}), db floor's first request ${ms(cold.floor.firstMs)} ms (second ${ms(cold.floor.secondMs)}): ${ratioText(cold.ratio)} (target ≤ ${cold.targetRatio}×) ${verdict(cold.pass)}`;
  // Each part gzipped on its own: the parts add up to a little more than the whole.
  for (const part of bundle.largest.slice(0, 6))
    rows3.push([`  of which ${part.name}`, ms(part.rawKiB), `~${ms(part.gzipKiB)}`, "", ""]);
  const notes = endpoints.filter((e) => e.dbNote).map((e) => `* ${e.name}: DB round trips of the ${e.dbNote}.`);
  for (const table of [rows, rowsQ, rows2, rows3]) {
    printRows(table);
    if (table === rows) for (const note of notes) console.log(note);
  }
  console.log(
    `startup (global scope; a fresh workerd with the bundle less one with an empty worker, median of ${startup.rounds ?? "—"}): ${startupText}`,
  );
  console.log(`cold (a fresh workerd per sample, median of ${cold.rounds ?? "—"}): ${coldText}`);
  for (const e of endpoints.filter((x) => x.profile)) {
    const top = e.profile.service.sections
      .slice(0, 5)
      .map((x) => `${x.name} ${(x.share * 100).toFixed(0)}%`)
      .join(", ");
    const ours = e.profile.service.ours
      .slice(0, 3)
      .map((x) => `${x.name} ${(x.share * 100).toFixed(0)}%`)
      .join(", ");
    console.log(`CPU of ${e.label} at ${e.connections} connections: ${top}; of ours (inclusive): ${ours}`);
  }
  console.log("");
}

/** The isolate's heap through the floods (bench/lib/memory.mjs), in MiB, each phase with its verdicts. */
export function printMemory(memory) {
  if (!memory?.phases) return console.log(`memory: not measured: ${memory?.error ?? "no result"}\n`);
  if (!memory.inspector) return printResidentOnly(memory);
  const { retainedMiB, peakMiB } = memory.targets;
  console.log(
    `memory (V8 heap of the service's isolate, rate limiters on): ${mib(memory.startBytes)} MiB after GC at the start; targets: after GC ≤ start + ${retainedMiB} MiB, largest ≤ ${peakMiB} MiB`,
  );
  for (const p of memory.phases)
    console.log(
      `  ${p.label.padEnd(44)} after GC ${mib(p.heapAfterGcBytes).padStart(6)} MiB (${signedMib(p.retainedBytes)}) ${verdict(p.retainedPass)}   largest ${mib(p.peakBytes).padStart(6)} MiB ${verdict(p.peakPass)}   ${JSON.stringify(p.statuses)}`,
    );
  console.log(
    `  retained ${signedMib(memory.retainedBytes)} MiB at the end: ${verdict(memory.retainedPass)}; largest ${mib(memory.largestBytes)} MiB: ${verdict(memory.peakPass)}`,
  );
  console.log("");
}

/** A run without an inspector (bench/memory.mjs --without-inspector): workerd's resident memory only. */
function printResidentOnly(memory) {
  const rss = ({ runtime, proxy }) => `runtime ${mib(runtime).padStart(5)} MiB, proxy ${mib(proxy).padStart(5)} MiB`;
  console.log(
    `memory without an inspector (workerd resident; no heap readings): at the start ${rss(memory.residentAtStartBytes)}`,
  );
  for (const p of memory.phases)
    console.log(`  ${p.label.padEnd(44)} ${rss(p.residentBytes)}   ${JSON.stringify(p.statuses)}`);
  console.log("");
}

const signedMib = (bytes) => `${bytes >= 0 ? "+" : "−"}${mib(Math.abs(bytes))}`;
