// The bench's options, its fixed sizes and targets, and the log every step writes to.

export function parseArgs(argv) {
  // dbRttMs: the delay the local Neon endpoint adds to each HTTP round trip (production distance).
  const opts = {
    connections: 10,
    amount: 2000,
    warmup: 300,
    purchases: 60,
    burst: 1000,
    flood: 10000,
    dbRttMs: 25,
    keepLogs: false,
    profile: false,
  };
  const flags = { "--db-rtt-ms": "dbRttMs" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") Object.assign(opts, { amount: 300, warmup: 50, purchases: 10, burst: 200, flood: 2000 });
    else if (arg === "--keep-logs") opts.keepLogs = true;
    else if (arg === "--profile") opts.profile = true;
    else if (arg in flags || (arg.startsWith("--") && arg.slice(2) in opts)) {
      const value = Number(argv[++i]);
      if (!(Number.isFinite(value) && value >= 0)) throw new Error(`${arg} needs a number ≥ 0`);
      opts[flags[arg] ?? arg.slice(2)] = value;
    } else
      throw new Error(
        `unknown option ${arg} (known: --connections --amount --warmup --purchases --burst --flood --db-rtt-ms --quick --keep-logs --profile)`,
      );
  }
  return opts;
}

export const LICENSE_POOL = 20; // validate/activate rotate over this many licenses, each re-activating its own machine
export const FULL_LICENSES = 20; // "limit reached" rotates over this many licenses, each at its limit
export const ACTIVATION_LIMIT = 3; // wrangler.toml's ACTIVATION_LIMIT: seats a new license has
export const POLL_MS = 20;
export const REFUND_CONCURRENCY = 1; // each refund polled alone: the polling itself is load on the worker
export const PURCHASE_INTERVAL_MS = 100;
export const ROUNDS = 8;
export const KiB = 1024;

// Issue 15 (4/7): the targets at 25 ms per database round trip. maxRatio is p99 over the floor's p99,
// maxP50Ratio p50 over the floor's p50.
export const TARGETS = {
  webhook: { floor: "plain", maxRatio: 2, maxP50Ratio: null },
  jwks: { floor: "plain", maxRatio: null, maxP50Ratio: null },
  validate: { floor: "db", maxRatio: 1.5, maxP50Ratio: 1.25 },
  activate: { floor: "db", maxRatio: 1.5, maxP50Ratio: 1.25 },
  activateNew: { floor: "db", maxRatio: 1.5, maxP50Ratio: 1.25 },
  activateLimit: { floor: "db", maxRatio: 1.5, maxP50Ratio: 1.25 },
  status: { floor: "db", maxRatio: 1.5, maxP50Ratio: 1.25 },
  consumerEventsPerSecond: 300,
  refundToRevokedP99Ms: 300,
  checkoutToEmailP99Ms: 600,
  bundleGzipKiB: 150,
};

export const started = performance.now();
export const log = (msg) =>
  console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const ms = (v) => (v === null || v === undefined ? "—" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
