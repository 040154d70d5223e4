// The load generator runs in its own process (bench/load.mjs, autocannon), so that it never shares an
// event loop with the servers' bookkeeping here; this is its side of the IPC channel.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { onCleanup } from "./processes.mjs";

export function startLoadGenerator(opts) {
  const child = fork(fileURLToPath(new URL("../load.mjs", import.meta.url)), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  onCleanup("load generator", () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  let seq = 0;
  const call = (message, onProgress) => {
    const id = ++seq;
    return new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m.id !== id) return;
        if (m.progress !== undefined) return onProgress?.(m.progress);
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (m.error) reject(new Error(`load generator: ${m.error}`));
        else resolve(m.result);
      };
      const onExit = (code) => reject(new Error(`load generator exited (${code})`));
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send({ id, ...message });
    });
  };
  return {
    /** Hands a set of request bodies to the generator once; runs then name it with `bodiesKey`. */
    loadBodies: (key, list, cycle) => call({ bodies: { key, list, cycle } }),
    run: (target, amount, onProgress, connections = opts.connections) =>
      call({ target, connections, amount }, onProgress),
  };
}
