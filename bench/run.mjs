// npm run bench — what a user feels, each figure next to a floor measured in the same run on the same
// machine: the isolate's start (beside a floor worker of the same stack), the first request of a fresh
// isolate, warm latency at 2 connections and throughput (with the isolate's CPU per request) at 10, the
// end-to-end delays that matter (checkout → email, refund → revoked, payment → key on the success
// page) and the bundle size. See docs/performance.md.
//
// What runs: embedded PostgreSQL + migrations + the local Neon HTTP endpoint (startLocalStack, as
// `npm run dev`), fake Stripe / Resend / Logto servers, `wrangler dev` for the service (the bundle
// `wrangler deploy --dry-run` produced, so the code measured is the code weighed, and an edit in src/
// during the run cannot reload it) with its real queue consumer, and two floor workers (bench/floors);
// fresh workerds (Miniflare) for the start and the cold request. The load generator (autocannon) runs in a child process: bench/load.mjs.
//
// Production distance: the local Neon endpoint answers each HTTP round trip --db-rtt-ms late (25 by
// default; 0 for loopback), the service's and the db floor's alike.
//
// Options: --connections N (10) --amount N (2000) --warmup N (300) --purchases N (60) --burst N (1000
// webhook events for the queue consumer's throughput) --flood N (10000 requests per memory flood phase)
// --latency-connections N (2) --latency-amount N (1000) --latency-warmup N (100) --db-rtt-ms N (25),
// --quick (a short run while working on the bench), --keep-logs (keep the servers' output in a temp dir).
//
// The steps live in bench/lib: workspace + bundle + startup (1), stack (2, 3), phases (4, 5) with
// cold (4b), consumer (5b), pipelines (6), report (7).
import os from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFloorBundle, measureBundle } from "./lib/bundle.mjs";
import { createClient } from "./lib/client.mjs";
import { measureCold } from "./lib/cold.mjs";
import { runConsumerBurst } from "./lib/consumer.mjs";
import { startLoadGenerator } from "./lib/load-generator.mjs";
import { runMemoryPhases } from "./lib/memory.mjs";
import { PASSES, prepareData, runPhases } from "./lib/phases.mjs";
import { runPipelines } from "./lib/pipelines.mjs";
import { cleanup, exitOnSignals } from "./lib/processes.mjs";
import { report } from "./lib/report.mjs";
import { log, ms, parseArgs, TARGETS } from "./lib/settings.mjs";
import { createDbCounter, startLimitedService, startStack } from "./lib/stack.mjs";
import { measureStartup } from "./lib/startup.mjs";
import { createWorkspace } from "./lib/workspace.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
process.chdir(root);

const opts = parseArgs(process.argv.slice(2));
exitOnSignals(log);
const workspace = createWorkspace(root, opts);
const dbCounter = createDbCounter();

async function main() {
  log(
    `settings: ${opts.dbRttMs} ms per database round trip; latency at ${opts.latencyConnections} connections (${opts.latencyWarmup} warm-up + ${opts.latencyAmount} measured requests per run), throughput at ${opts.connections} (${opts.warmup} + ${opts.amount}); ${opts.purchases} purchases, a burst of ${opts.burst} events; ${os.cpus().length} cores, load average ${loadAverage()}`,
  );

  log("1/7 bundle: wrangler deploy --dry-run");
  const bundle = await measureBundle(workspace);
  log(`    ${ms(bundle.rawKiB)} KiB raw, ${ms(bundle.gzipKiB)} KiB gzip${bundle.minified ? " (minified)" : ""}`);
  const floors = {
    stack: await buildFloorBundle(workspace, "stack", "bench/floors/wrangler.stack.toml"),
    db: await buildFloorBundle(workspace, "db", "bench/floors/wrangler.db.toml"),
  };
  const startup = await measureServiceStartup(workspace, bundle, floors.stack);
  log(
    `    startup (global scope, fresh workerd, less an empty one): ${startup.ms === null ? `not measured: ${startup.error}` : `${ms(startup.ms)} ms, stack floor ${ms(startup.floorMs)} ms (${startup.ratio.toFixed(2)}×)`}`,
  );
  const loadAtStart = loadAverage();

  log("2/7 local stack: embedded Postgres, migrations, local Neon HTTP endpoint; fake Stripe, Resend, Logto");
  const servers = await startStack(workspace, bundle, dbCounter, opts);
  const client = createClient(servers);
  const data = await prepareData(client, servers, opts);
  log(
    "4b  cold: the first request of a fresh isolate (a new workerd each), the service's validate beside the db floor's",
  );
  const cold = await measureCold(
    servers,
    { service: bundle.file, dbFloor: floors.db.file },
    JSON.stringify({ key: data.licenses[0].key, machine_id: data.licenses[0].machineId }),
  )
    .then((r) => {
      const ratio = r.service.firstMs / r.floor.firstMs;
      return { ...r, ratio, targetRatio: TARGETS.coldMaxRatio, pass: ratio <= TARGETS.coldMaxRatio };
    })
    .catch((err) => ({ pass: false, error: String(err?.message ?? err) }));
  const load = startLoadGenerator(opts);
  const endpoints = [];
  for (const pass of [PASSES.latency(opts), PASSES.throughput(opts)])
    endpoints.push(...(await runPhases({ bundle, dbCounter, servers, data, load, pass })));
  const consumer = await runConsumerBurst({ opts, dbCounter, servers, load });
  const pipelines = await runPipelines({ opts, dbCounter, servers, client });
  const memory = await runMemoryPhases({
    opts,
    servers,
    service: await startLimitedService(workspace, servers),
    load,
  }).catch((err) => ({
    pass: false,
    error: String(err?.message ?? err),
  }));
  const loadAverages = { atStart: loadAtStart, atEnd: loadAverage() };
  report(
    { opts, workspace, servers },
    { bundle, floors, startup, cold, endpoints, consumer, pipelines, memory, loadAverages },
  );
}

/** The service's start beside the stack floor's, in the same rounds (startup.mjs), with its target. */
async function measureServiceStartup(workspace, bundle, stackFloor) {
  try {
    const r = await measureStartup(workspace, { service: bundle.file, floor: stackFloor.file });
    const ratio = r.service.ms / r.floor.ms;
    return {
      ms: r.service.ms,
      floorMs: r.floor.ms,
      ratio,
      targetRatio: TARGETS.startupMaxRatio,
      pass: ratio <= TARGETS.startupMaxRatio,
      readyMs: r.service.readyMs,
      floorReadyMs: r.floor.readyMs,
      emptyReadyMs: r.emptyReadyMs,
      samples: { service: r.service.samples, floor: r.floor.samples },
      rounds: r.rounds,
    };
  } catch (err) {
    return { ms: null, pass: false, error: String(err?.message ?? err) };
  }
}

/** The 1, 5 and 15 minute load averages: the machine is shared, and the figures should say how much. */
function loadAverage() {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
}

try {
  await main();
} catch (err) {
  log(`FAILED: ${err?.stack ?? err}`);
  process.exitCode = 1;
} finally {
  log("stopping everything the bench started");
  await cleanup(log);
  process.exit(process.exitCode ?? 0);
}
