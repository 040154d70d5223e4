// `npm run dev` as the process-level checks start it: on a free port with its own data folder (a
// developer's running dev server is left alone), its output in a log file, in a process group of its
// own so that one signal to the group reaches everything it started.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../tools/local-stack/embedded-postgres.mjs";
import { stopGroup } from "../../tools/local-stack/process-group.mjs";

/** @param {{ dataDir: string; port: number; inspectorPort: number; env: NodeJS.ProcessEnv; logFile: string }} o */
export function spawnDev({ dataDir, port, inspectorPort, env, logFile }) {
  const out = openSync(logFile, "a");
  return spawn(
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
    { env, detached: true, stdio: ["ignore", out, out] },
  );
}

/** Resolves once `base`/health answers 200; throws when `dev` exits first or time runs out.
 * @param {string} base @param {import("node:child_process").ChildProcess} dev @param {number} timeoutMs */
async function waitForHealth(base, dev, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dev.exitCode !== null) throw new Error(`npm run dev exited with ${dev.exitCode}`);
    try {
      if ((await fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no 200 from ${base}/health within ${timeoutMs / 1000} s`);
}

/**
 * `npm run dev` for one check: its own data folder and free ports, healthy before this resolves.
 * `stop()` signals its group and removes the folder; `tail()` is its output's end, for a failure.
 * @param {string} label names the temporary folder
 */
export async function startDevForCheck(label) {
  const dataDir = mkdtempSync(join(tmpdir(), `maximus-${label}-`));
  chmodSync(dataDir, 0o755); // as root, the postgres user must reach postgres/ inside
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const logFile = join(dataDir, "dev.log");
  const env = { ...process.env, DEV_DATA_DIR: dataDir, WRANGLER_SEND_METRICS: "false" };
  const dev = spawnDev({ dataDir, port, inspectorPort, env, logFile });
  const base = `http://127.0.0.1:${port}`;
  const output = () => readFileSync(logFile, "utf8");
  return {
    base,
    port,
    /** The environment it runs with (DEV_DATA_DIR): what a `stripe:send` against it needs too. */
    env,
    dev,
    dataDir,
    output,
    ready: (timeoutMs = 90_000) => waitForHealth(base, dev, timeoutMs),
    tail: (lines = 30) => output().split("\n").slice(-lines).join("\n"),
    stop: () => stopGroup(dev.pid, "SIGINT"),
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
