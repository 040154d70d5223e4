// node scripts/check-dev-stop.mjs — signalling `npm run dev`'s node process alone (what a process
// manager, an IDE or `docker stop` does) stops everything it started, and a second `npm run dev`
// right after starts on the same port. Runs `npm run dev` twice on a free port with its own data
// folder; the first is stopped with SIGINT, the second with SIGTERM. Linux only (reads /proc).
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChecks } from "./lib/checks.mjs";
import { freePort } from "../tools/local-stack/embedded-postgres.mjs";

const started = Date.now();
const dataDir = mkdtempSync(join(tmpdir(), "maximus-dev-stop-"));
chmodSync(dataDir, 0o755); // as root, the postgres user must reach postgres/ inside
const [port, inspectorPort] = [await freePort(), await freePort()];
const env = { ...process.env, DEV_DATA_DIR: dataDir, WRANGLER_SEND_METRICS: "false" };
const log = (msg) => console.log(`[dev-stop] ${msg}`);

/** pid -> { ppid, state, name } for every process, from /proc. */
function processTable() {
  const table = new Map();
  for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      table.set(Number(pid), { ppid: Number(ppid), state, name, cmdline });
    } catch {
      // exited while we looked
    }
  }
  return table;
}

function descendants(root) {
  const table = processTable();
  const found = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift();
    for (const [pid, p] of table) {
      if (p.ppid !== parent || p.state === "Z") continue;
      found.push({ pid, ...p });
      queue.push(pid);
    }
  }
  return found;
}

const alive = (pid) => {
  const p = processTable().get(pid);
  return p !== undefined && p.state !== "Z";
};

const portFree = () =>
  new Promise((resolve) => {
    const srv = net.createServer().once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, condition, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(200);
  }
  throw new Error(`${what} not within ${timeoutMs / 1000} s`);
}

async function healthy() {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

const leftovers = [];
async function startAndSignal(signal) {
  const out = openSync(join(dataDir, "dev.log"), "a");
  const npm = spawn(
    "npm",
    [
      "run",
      "dev",
      "--",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      join(dataDir, "wrangler"),
    ],
    {
      env,
      detached: true, // only so this check can clean up after a failure
      stdio: ["ignore", out, out],
    },
  );
  const exited = new Promise((r) => npm.on("exit", r));
  await waitFor(`200 from /health on :${port}`, healthy, 90_000);
  const tree = descendants(npm.pid);
  const dev = tree.find((p) => p.name.startsWith("node") && p.cmdline.includes("scripts/dev.mjs"));
  if (!dev) throw new Error("no node process running scripts/dev.mjs under npm run dev");
  const names = tree.map((p) => p.name);
  for (const expected of ["workerd", "postgres"]) {
    if (!names.includes(expected))
      throw new Error(`expected a ${expected} process under npm run dev, saw ${names.join(", ")}`);
  }
  leftovers.push(...tree.map((p) => p.pid), npm.pid);
  process.kill(dev.pid, signal);
  await waitFor("npm run dev to exit", () => npm.exitCode !== null || npm.signalCode !== null, 30_000).catch(() => {});
  await exited.catch(() => {});
  // Give orphans nothing to hide behind: everything must already be gone, not "soon".
  const remaining = tree.filter((p) => alive(p.pid));
  if (remaining.length)
    throw new Error(`still running after ${signal}: ${remaining.map((p) => `${p.name}(${p.pid})`).join(", ")}`);
  if (!(await portFree())) throw new Error(`port ${port} still in use after ${signal}`);
}

const checks = createChecks(log);
for (const signal of ["SIGINT", "SIGTERM"]) {
  await checks.test(
    `${signal} to npm run dev's node process stops wrangler, workerd, Postgres and the Neon endpoint`,
    () => startAndSignal(signal),
  );
}

for (const pid of leftovers) {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone, as it should be
  }
}
const { failed } = checks;
if (failed)
  log(`dev server output:\n${readFileSync(join(dataDir, "dev.log"), "utf8").split("\n").slice(-40).join("\n")}`);
rmSync(dataDir, { recursive: true, force: true });
log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(checks.summary("dev-stop"));
process.exit(failed ? 1 : 0);
