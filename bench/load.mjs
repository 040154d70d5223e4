// The load generator, in its own process (forked by bench/run.mjs) so that it never shares an event
// loop with the servers it measures. autocannon drives the requests; latencies are taken from its
// per-response timings (float ms) rather than from its whole-millisecond histogram.
//
// Messages in:
//   { id, bodies: { key, list: [{ body, headers? }], cycle } }   keep a set of request bodies here
//   { id, target: { url, method, headers, body?, bodiesKey? }, connections, amount }   one run
// Messages out: { id, progress: n } about every second during a run, then { id, result } or { id, error }.
// A body set is used in order across runs: each body once (fresh Stripe events), or round-robin with `cycle`.
import autocannon from "autocannon";

const bodySets = new Map();

function nextBody(key) {
  const set = bodySets.get(key);
  if (!set) throw new Error(`no body set ${key}`);
  if (set.cycle) return set.list[set.cursor++ % set.list.length];
  const item = set.list[set.cursor++];
  if (!item) throw new Error(`body set ${key} ran out after ${set.cursor - 1} requests`);
  return item;
}

function run({ id, target, connections, amount }) {
  const url = new URL(target.url);
  const request = { method: target.method, path: url.pathname + url.search, headers: target.headers ?? {} };
  if (target.body !== undefined) request.body = target.body;
  if (target.bodiesKey) {
    request.setupRequest = (req) => {
      const item = nextBody(target.bodiesKey);
      return { ...req, body: item.body, headers: { ...req.headers, ...item.headers } };
    };
  }
  const cursorBefore = target.bodiesKey ? bodySets.get(target.bodiesKey).cursor : 0;
  return new Promise((resolve, reject) => {
    const latencies = [];
    const statuses = {};
    let errors = 0;
    const started = performance.now();
    let last = started;
    const instance = autocannon(
      // sampleInt: autocannon notices the end of an `amount` run on its sampling tick.
      { url: url.origin, connections, amount, requests: [request], timeout: 30, sampleInt: 100 },
      (err) => {
        if (err) return reject(err);
        resolve({
          latencies,
          statuses,
          errors,
          seconds: (last - started) / 1000,
          bodiesUsed: target.bodiesKey ? bodySets.get(target.bodiesKey).cursor - cursorBefore : 0,
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      last = performance.now();
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      latencies.push(responseTime);
    });
    instance.on("reqError", () => {
      errors++;
    });
    let ticks = 0;
    instance.on("tick", () => {
      if (++ticks % 10 === 0) process.send({ id, progress: latencies.length });
    });
  });
}

process.on("message", (message) => {
  if (message.bodies) {
    const { key, list, cycle } = message.bodies;
    bodySets.set(key, { list, cycle: !!cycle, cursor: 0 });
    process.send({ id: message.id, result: { loaded: list.length } });
    return;
  }
  run(message).then(
    (result) => process.send({ id: message.id, result }),
    (err) => process.send({ id: message.id, error: String(err?.stack ?? err) }),
  );
});
process.on("disconnect", () => process.exit(0));
