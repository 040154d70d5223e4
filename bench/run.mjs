// npm run bench — latency and throughput of the service under load, each endpoint next to a floor
// measured in the same run on the same machine, plus the two end-to-end delays that matter
// (checkout → email, refund → revoked) and the bundle size. See docs/performance.md.
//
// What runs: embedded PostgreSQL + migrations + the local Neon HTTP endpoint (startLocalStack, as
// `npm run dev`), fake Stripe / Resend / Logto servers, `wrangler dev` for the service (the bundle
// `wrangler deploy --dry-run` produced, so the code measured is the code weighed, and an edit in src/
// during the run cannot reload it) with its real queue consumer, and two floor workers (bench/floors).
// The load generator (autocannon) runs in a child process: bench/load.mjs.
//
// Production distance: the local Neon endpoint answers each HTTP round trip --db-rtt-ms late (25 by
// default; 0 for loopback), the service's and the db floor's alike.
//
// Options: --connections N (10) --amount N (2000) --warmup N (300) --purchases N (60) --burst N (1000
// webhook events for the queue consumer's throughput) --flood N (10000 requests per memory flood phase)
// --db-rtt-ms N (25), --quick (a
// short run while working on the bench), --keep-logs (keep the servers' output in a temp dir),
// --profile (after each endpoint's measured run, one more run under the CPU profiler: where the
// service's isolate spends its time, by package and function; not used for the table).
//
// The steps live in bench/lib: workspace + bundle + startup (1), stack (2, 3), phases (4, 5), consumer
// (5b), pipelines (6), report (7).
import os from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { measureBundle } from "./lib/bundle.mjs";
import { createClient } from "./lib/client.mjs";
import { runConsumerBurst } from "./lib/consumer.mjs";
import { startLoadGenerator } from "./lib/load-generator.mjs";
import { runMemoryPhases } from "./lib/memory.mjs";
import { prepareData, runPhases } from "./lib/phases.mjs";
import { runPipelines } from "./lib/pipelines.mjs";
import { cleanup, exitOnSignals } from "./lib/processes.mjs";
import { report } from "./lib/report.mjs";
import { log, ms, parseArgs } from "./lib/settings.mjs";
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
    `settings: ${opts.dbRttMs} ms per database round trip, ${opts.connections} connections, ${opts.warmup} warm-up + ${opts.amount} measured requests per run, ${opts.purchases} purchases, a burst of ${opts.burst} events; ${os.cpus().length} cores, load average ${loadAverage()}`,
  );

  log("1/7 bundle: wrangler deploy --dry-run");
  const bundle = await measureBundle(workspace);
  log(`    ${ms(bundle.rawKiB)} KiB raw, ${ms(bundle.gzipKiB)} KiB gzip${bundle.minified ? " (minified)" : ""}`);
  const startup = await measureStartup(workspace, bundle).catch((err) => ({
    ms: null,
    error: String(err?.message ?? err),
  }));
  log(
    `    startup (global scope, fresh workerd): ${startup.ms === null ? `not measured: ${startup.error}` : `${ms(startup.ms)} ms`}`,
  );
  const loadAtStart = loadAverage();

  log("2/7 local stack: embedded Postgres, migrations, local Neon HTTP endpoint; fake Stripe, Resend, Logto");
  const servers = await startStack(workspace, bundle, dbCounter, opts);
  const client = createClient(servers);
  const data = await prepareData(client, servers, opts);
  const load = startLoadGenerator(opts);
  const endpoints = await runPhases({ opts, bundle, dbCounter, servers, data, load });
  const consumer = await runConsumerBurst({ opts, dbCounter, servers, load });
  const { emailStats, revokeStats } = await runPipelines({ opts, dbCounter, servers, client });
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
  report({
    opts,
    workspace,
    bundle,
    startup,
    servers,
    endpoints,
    consumer,
    emailStats,
    revokeStats,
    memory,
    loadAverages,
  });
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
