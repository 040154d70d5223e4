// node scripts/check-dev-stop.mjs — a stop signal to `npm run dev`, whichever process gets it, stops
// everything it started, and a second `npm run dev` right after starts on the same port. A process
// manager or `docker stop` signals npm's own pid (npm passes SIGTERM to its child only); an IDE or a
// Ctrl-C reaches the node process; an npm killed outright leaves the node process orphaned, which must
// notice. Runs `npm run dev` once per case on one free port with its own data folder. Linux only
// (reads /proc).
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChecks } from "./lib/checks.mjs";
import { spawnDev } from "./lib/dev-server.mjs";
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

const portFree = (p) =>
  new Promise((resolve) => {
    const srv = net.createServer().once("error", () => resolve(false));
    srv.listen(p, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
const portsFree = async () => (await portFree(port)) && (await portFree(inspectorPort));

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

/** After a failed case, so the next one starts from nothing. */
function killAll(pids) {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone, as it should be
    }
  }
}

const leftovers = [];
/**
 * Starts `npm run dev`, sends `signal` to `target` ("npm": npm's own pid, "node": scripts/dev.mjs).
 * `settleMs`: how long after npm exits the rest may take to go. 0 where npm itself waits for the
 * stop (it must: a process manager takes npm's exit as "stopped" and may start another at once).
 */
async function startAndSignal(target, signal, settleMs) {
  // detached only so this check can clean up after a failure
  const npm = spawnDev({ dataDir, port, inspectorPort, env, logFile: join(dataDir, "dev.log") });
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
  process.kill(target === "npm" ? npm.pid : dev.pid, signal);
  await waitFor("npm run dev to exit", () => npm.exitCode !== null || npm.signalCode !== null, 30_000).catch(() => {});
  await exited.catch(() => {});
  const allGone = async () => tree.every((p) => !alive(p.pid)) && (await portsFree());
  if (settleMs) await waitFor("everything to stop after npm died", allGone, settleMs).catch(() => {});
  // Give orphans nothing to hide behind: everything must already be gone, not "soon".
  const remaining = tree.filter((p) => alive(p.pid));
  if (remaining.length)
    throw new Error(`still running after ${signal}: ${remaining.map((p) => `${p.name}(${p.pid})`).join(", ")}`);
  if (!(await portFree(port))) throw new Error(`port ${port} still in use after ${signal}`);
  if (!(await portFree(inspectorPort))) throw new Error(`inspector port ${inspectorPort} still in use after ${signal}`);
}

const checks = createChecks(log);
const cases = [
  ["npm", "SIGTERM", 0, "SIGTERM to npm run dev's own pid (a process manager, docker stop)"],
  ["node", "SIGINT", 0, "SIGINT to npm run dev's node process (an IDE, Ctrl-C)"],
  ["node", "SIGTERM", 0, "SIGTERM to npm run dev's node process"],
  ["npm", "SIGKILL", 15_000, "SIGKILL to npm (the node process is orphaned and notices)"],
];
for (const [target, signal, settleMs, name] of cases) {
  await checks.test(`${name} stops wrangler, workerd, Postgres and the Neon endpoint, and frees the ports`, () =>
    startAndSignal(target, signal, settleMs).finally(() => killAll(leftovers)),
  );
}

const { failed } = checks;
if (failed)
  log(`dev server output:\n${readFileSync(join(dataDir, "dev.log"), "utf8").split("\n").slice(-40).join("\n")}`);
rmSync(dataDir, { recursive: true, force: true });
log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(checks.summary("dev-stop"));
process.exit(failed ? 1 : 0);
