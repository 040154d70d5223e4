// `npm run dev` as the process-level checks start it: on a free port with its own data folder (a
// developer's running dev server is left alone), its output in a log file, in a process group of its
// own so that one signal to the group reaches everything it started.
import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import { join } from "node:path";

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
export async function waitForHealth(base, dev, timeoutMs) {
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
