// Where the bench keeps its files (temp dirs, removed at the end) and how it runs a command into a log.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { onCleanup, removeDir, startGroup } from "./processes.mjs";

export const childEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" };

/** @param {string} root the repository @param {{ keepLogs: boolean }} opts */
export function createWorkspace(root, opts) {
  const tmp = mkdtempSync(join(os.tmpdir(), "maximus-bench-"));
  onCleanup("temp dir", () => removeDir(tmp));
  const logs = opts.keepLogs ? mkdtempSync(join(os.tmpdir(), "maximus-bench-logs-")) : join(tmp, "logs");
  if (!opts.keepLogs) mkdirSync(logs);
  // initdb runs as the `postgres` user when we are root: its data dir gets its own temp dir, as in the tests.
  const pgDataDir = mkdtempSync(join(os.tmpdir(), "maximus-bench-pg-"));
  onCleanup("postgres data dir", () => removeDir(pgDataDir));
  const floorsWranglerDir = join(root, "bench/floors/.wrangler");
  if (!existsSync(floorsWranglerDir)) onCleanup("bench/floors/.wrangler", () => removeDir(floorsWranglerDir));

  async function runCommand(name, args) {
    const proc = startGroup(name, "npx", args, { logFile: join(logs, `${name}.log`), env: childEnv });
    const { code, signal } = await new Promise((r) => proc.child.on("exit", (code, signal) => r({ code, signal })));
    if (code !== 0) throw new Error(`${name} failed (${code ?? signal}):\n${proc.tail()}`);
    return readFileSync(join(logs, `${name}.log`), "utf8");
  }

  return { tmp, logs, pgDataDir, runCommand };
}
