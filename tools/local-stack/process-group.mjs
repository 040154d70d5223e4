// Stopping a process tree started with `detached: true` (its own process group): npx, wrangler and
// the workerd processes it starts all share that group, so one signal reaches all of them.
import { readdirSync, readFileSync } from "node:fs";

/** Live (not zombie) members of process group `pgid`; where /proc is missing, whether any remain. */
export function groupMembers(pgid) {
  let entries;
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members = [];
  for (const pid of entries) {
    try {
      // Fields after the command name (which may contain spaces): state, ppid, pgrp, ...
      const [state, , pgrp] = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") members.push(Number(pid));
    } catch {
      // exited while we looked
    }
  }
  return members;
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** Signals the group and resolves once none of it is left: SIGKILL after `graceMs`. */
export async function stopGroup(pgid, signal = "SIGINT", graceMs = 10_000) {
  signalGroup(pgid, signal);
  const deadline = Date.now() + graceMs;
  while (groupMembers(pgid).length > 0) {
    if (Date.now() > deadline) {
      signalGroup(pgid, "SIGKILL");
      if (Date.now() > deadline + 2_000) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export { signalGroup };
