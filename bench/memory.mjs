// node bench/memory.mjs — the bench's memory phase alone (bench/lib/memory.mjs): the bundle, the
// backends and one service with its rate limiters on, then the four floods; no latency phases, no
// floors. Prints the phases with pass/MISS and writes them to bench/results.json under `memory`
// (the rest of an earlier full run's file is kept). Options: --flood N (10000) --connections N (10)
// --db-rtt-ms N (25) --keep-logs.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { measureBundle } from "./lib/bundle.mjs";
import { startLoadGenerator } from "./lib/load-generator.mjs";
import { runMemoryPhases } from "./lib/memory.mjs";
import { printMemory } from "./lib/report.mjs";
import { cleanup, exitOnSignals } from "./lib/processes.mjs";
import { log, parseArgs } from "./lib/settings.mjs";
import { createDbCounter, startBackends, startLimitedService } from "./lib/stack.mjs";
import { createWorkspace } from "./lib/workspace.mjs";

process.chdir(resolve(fileURLToPath(new URL("..", import.meta.url))));
const opts = parseArgs(process.argv.slice(2));
exitOnSignals(log);
const workspace = createWorkspace(process.cwd(), opts);

try {
  log("bundle: wrangler deploy --dry-run");
  const bundle = await measureBundle(workspace);
  log("backends: embedded Postgres, local Neon HTTP endpoint, fake Stripe, Resend, Logto");
  const servers = await startBackends(workspace, bundle, createDbCounter(), opts);
  const service = await startLimitedService(workspace, servers);
  const memory = await runMemoryPhases({ opts, servers, service, load: startLoadGenerator(opts) });
  printMemory(memory);
  const file = "bench/results.json";
  const results = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  writeFileSync(
    file,
    `${JSON.stringify({ ...results, memory, memoryMeasuredAt: new Date().toISOString() }, null, 2)}\n`,
  );
  log(`memory written to ${file}`);
  process.exitCode = memory.pass ? 0 : 1;
} catch (err) {
  log(`FAILED: ${err?.stack ?? err}`);
  process.exitCode = 2;
} finally {
  await cleanup(log);
  process.exit(process.exitCode ?? 0);
}
