// node bench/memory.mjs — the bench's memory phase alone (bench/lib/memory.mjs): the bundle, the
// backends and one service with its rate limiters on, then the four floods; no latency phases, no
// floors. Prints the phases with pass/MISS and writes them to bench/results.json under `memory`
// (the rest of an earlier full run's file is kept). Options: --flood N (10000) --connections N (10)
// --db-rtt-ms N (25) --keep-logs, --snapshots (a heap snapshot after each phase: what grew since the
// previous one, with retainer paths; bench/lib/heap-snapshot.mjs), --without-inspector (the same floods
// against the service without an inspector: workerd's resident memory only, under
// `memoryWithoutInspector`).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { measureBundle } from "./lib/bundle.mjs";
import { startLoadGenerator } from "./lib/load-generator.mjs";
import { runMemoryPhases } from "./lib/memory.mjs";
import { printMemory } from "./lib/report.mjs";
import { cleanup, exitOnSignals } from "./lib/processes.mjs";
import { log, parseArgs } from "./lib/settings.mjs";
import {
  createDbCounter,
  startBackends,
  startLimitedService,
  startLimitedServiceWithoutInspector,
} from "./lib/stack.mjs";
import { createWorkspace } from "./lib/workspace.mjs";

process.chdir(resolve(fileURLToPath(new URL("..", import.meta.url))));
const args = process.argv.slice(2);
const ownFlags = ["--snapshots", "--without-inspector"];
const opts = {
  ...parseArgs(args.filter((a) => !ownFlags.includes(a))),
  snapshots: args.includes("--snapshots"),
  withoutInspector: args.includes("--without-inspector"),
};
exitOnSignals(log);
const workspace = createWorkspace(process.cwd(), opts);

try {
  log("bundle: wrangler deploy --dry-run");
  const bundle = await measureBundle(workspace);
  log("backends: embedded Postgres, local Neon HTTP endpoint, fake Stripe, Resend, Logto");
  const servers = await startBackends(workspace, bundle, createDbCounter(), opts);
  const service = opts.withoutInspector
    ? await startLimitedServiceWithoutInspector(workspace, servers)
    : await startLimitedService(workspace, servers);
  const memory = await runMemoryPhases({ opts, servers, service, load: startLoadGenerator(opts) });
  printMemory(memory);
  const file = "bench/results.json";
  const results = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  // --without-inspector has its own key, so both runs can sit side by side.
  const key = opts.withoutInspector ? "memoryWithoutInspector" : "memory";
  const entry = { ...memory, measuredAt: new Date().toISOString() };
  writeFileSync(file, `${JSON.stringify({ ...results, [key]: entry }, null, 2)}\n`);
  log(`${key} written to ${file}`);
  process.exitCode = memory.pass === false ? 1 : 0;
} catch (err) {
  log(`FAILED: ${err?.stack ?? err}`);
  process.exitCode = 2;
} finally {
  await cleanup(log);
  process.exit(process.exitCode ?? 0);
}
