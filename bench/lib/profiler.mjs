// CPU profiles of a worker's isolate through wrangler dev's inspector (Chrome DevTools protocol), for
// `npm run bench -- --profile`. Samples are attributed, through the bundle's source map, to the
// package or src/ file their code came from, or to the runtime's own functions (crypto, fetch ...).

const CALL_TIMEOUT_MS = 60_000;

/**
 * A Chrome DevTools protocol session with the first worker wrangler dev's inspector lists.
 * `on(method, fn)` listens to an event (e.g. HeapProfiler.addHeapSnapshotChunk).
 */
export async function connectInspector(inspectorOrigin) {
  const targets = await (await fetch(`${inspectorOrigin}/json`)).json();
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error("wrangler dev's inspector lists no worker");
  // wrangler's inspector proxy wants an Origin it knows.
  const ws = new WebSocket(url, { headers: { Origin: "http://localhost" } });
  // workerd answers a call a previous session left unanswered on the next session's socket, with its
  // old id: ids from a random base cannot be mistaken for ours (wrangler's own start at 100000001;
  // workerd reads ids as Int32).
  let seq = 1_000_000_000 + Math.floor(Math.random() * 1e6) * 1000;
  const pending = new Map();
  const listeners = new Map();
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data);
    if (m.method && m.id === undefined) for (const fn of listeners.get(m.method) ?? []) fn(m.params);
    const p = m.id && pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(`${p.method}: ${JSON.stringify(m.error)}`));
    else p.resolve(m.result);
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
  });
  // A method the inspector never answers would hang the bench: each call fails after CALL_TIMEOUT_MS.
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no answer from the inspector within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      const settle = (fn) => (value) => {
        clearTimeout(timer);
        fn(value);
      };
      pending.set(id, { resolve: settle(resolve), reject: settle(reject), method });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    call,
    on: (method, fn) => listeners.set(method, [...(listeners.get(method) ?? []), fn]),
    close: () => {
      if (ws.readyState === WebSocket.OPEN) ws.close();
    },
  };
}

export async function connectProfiler(inspectorOrigin) {
  const { call, close } = await connectInspector(inspectorOrigin);
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 200 }).catch(() => undefined);
  return {
    start: () => call("Profiler.start"),
    stop: async () => (await call("Profiler.stop")).profile,
    close,
  };
}

/**
 * Where the isolate's busy samples went: `sections` charges each sample to the bundle section of the
 * nearest JavaScript frame on its stack (so a WebCrypto verify counts for jose, a console.log for the
 * logger), `ours` is inclusive time of our own functions (src/), `selfTop` the hottest frames.
 */
export function attribute(profile, sourceMap = null) {
  const sectionAt = (line, column) => sourceMap?.sectionAt(line, column) ?? "(script)";
  const functionAt = (line, column, name) =>
    sourceMap?.functionAt(line, column, name) ?? `${name} (script:${line + 1})`;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const bySection = new Map();
  const ours = new Map();
  const self = new Map();
  const bump = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  let busy = 0;
  let busyUs = 0;
  for (const [i, sample] of profile.samples.entries()) {
    const leaf = nodes.get(sample);
    const leafFn = leaf.callFrame.functionName || "(anonymous)";
    if (leafFn === "(idle)" || leafFn === "(root)") continue;
    busy++;
    // timeDeltas[i + 1] is how long the isolate stayed in this sample's state.
    busyUs += profile.timeDeltas[i + 1] ?? 0;
    let charged = null;
    const seen = new Set();
    for (let id = sample; id !== undefined; id = parent.get(id)) {
      const { callFrame } = nodes.get(id);
      // The service is one module (the dry-run bundle): any script URL is a line of it.
      if (!callFrame.url || callFrame.url.startsWith("node-internal:")) continue;
      const section = sectionAt(callFrame.lineNumber, callFrame.columnNumber);
      charged ??= section;
      if (section.startsWith("src/")) {
        const key = functionAt(callFrame.lineNumber, callFrame.columnNumber, callFrame.functionName || "(anonymous)");
        if (!seen.has(key)) bump(ours, key);
        seen.add(key);
      }
    }
    bump(bySection, charged ?? (leafFn.startsWith("(") ? leafFn : "runtime, no JavaScript on the stack"));
    bump(
      self,
      leaf.callFrame.url
        ? functionAt(leaf.callFrame.lineNumber, leaf.callFrame.columnNumber, leafFn)
        : `${leafFn} (runtime)`,
    );
  }
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, count]) => ({ name, share: count / Math.max(1, busy) }));
  return {
    samples: profile.samples.length,
    busySamples: busy,
    busyMs: busyUs / 1000,
    sections: top(bySection, 12),
    ours: top(ours, 15),
    selfTop: top(self, 12),
  };
}
