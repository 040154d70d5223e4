// The bench's options, its fixed sizes and targets, and the log every step writes to.

export function parseArgs(argv) {
  // dbRttMs: the delay the local Neon endpoint adds to each HTTP round trip (production distance).
  const opts = {
    connections: 10,
    amount: 2000,
    warmup: 300,
    latencyConnections: 2,
    latencyAmount: 1000,
    latencyWarmup: 100,
    purchases: 60,
    burst: 1000,
    flood: 10000,
    dbRttMs: 25,
    keepLogs: false,
  };
  const flags = {
    "--db-rtt-ms": "dbRttMs",
    "--latency-connections": "latencyConnections",
    "--latency-amount": "latencyAmount",
    "--latency-warmup": "latencyWarmup",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick")
      Object.assign(opts, {
        amount: 300,
        warmup: 50,
        latencyAmount: 200,
        latencyWarmup: 30,
        purchases: 10,
        burst: 200,
        flood: 2000,
      });
    else if (arg === "--keep-logs") opts.keepLogs = true;
    else if (arg in flags || (arg.startsWith("--") && arg.slice(2) in opts)) {
      const value = Number(argv[++i]);
      if (!(Number.isFinite(value) && value >= 0)) throw new Error(`${arg} needs a number ≥ 0`);
      opts[flags[arg] ?? arg.slice(2)] = value;
    } else
      throw new Error(
        `unknown option ${arg} (known: --connections --amount --warmup --latency-connections --latency-amount --latency-warmup --purchases --burst --flood --db-rtt-ms --quick --keep-logs)`,
      );
  }
  return opts;
}

export const LICENSE_POOL = 20; // validate/activate rotate over this many licenses, each re-activating its own machine
export const FULL_LICENSES = 20; // "limit reached" rotates over this many licenses, each at its limit
export const ACTIVATION_LIMIT = 3; // wrangler.toml's ACTIVATION_LIMIT: seats a new license has
export const POLL_MS = 20;
export const KEY_POLL_MS = 50; // the success page's poll of GET /checkout/sessions/{id}/license, while measured
export const PROFILE_AMOUNT = 500; // requests of each profiled run (throughput pass): the CPU per request and its consumers
export const REFUND_CONCURRENCY = 1; // each refund polled alone: the polling itself is load on the worker
export const PURCHASE_INTERVAL_MS = 100;
export const ROUNDS = 8;
export const KiB = 1024;

// The targets at 25 ms per database round trip (issues 15 and 25). Per endpoint, each pass: maxRatio is
// p99 over the floor's p99, maxP50Ratio p50 over the floor's p50; null: reported, no target. Warm latency
// is taken at 2 connections, where the 2 cores are not saturated (issue 25); at 10 connections the
// figures are throughput and CPU per request, reported (the webhook keeps its issue-15 target there).
const DB = (maxRatio, maxP50Ratio) => ({ floor: "db", maxRatio, maxP50Ratio });
export const TARGETS = {
  latency: {
    validate: DB(1.5, 1.25),
    activate: DB(1.5, 1.25),
    activateNew: DB(1.5, 1.25),
    activateLimit: DB(1.5, 1.25),
    status: DB(1.5, 1.25),
  },
  throughput: {
    jwks: { floor: "plain", maxRatio: null, maxP50Ratio: null },
    webhook: { floor: "plain", maxRatio: 2, maxP50Ratio: null },
    validate: DB(null, null),
    activate: DB(null, null),
    activateNew: DB(null, null),
    activateLimit: DB(null, null),
    status: DB(null, null),
  },
  startupMaxRatio: 1.25,
  coldMaxRatio: 1.3,
  consumerEventsPerSecond: 300,
  refundToRevokedP99Ms: 300,
  checkoutToEmailP99Ms: 600,
  paymentToKeyP99Ms: 1000,
  bundleGzipKiB: 150,
};

export const started = performance.now();
export const log = (msg) =>
  console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const ms = (v) => (v === null || v === undefined ? "—" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
