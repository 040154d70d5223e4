// The bench's options, its fixed sizes and targets, and the log every step writes to.

export function parseArgs(argv) {
  const opts = { connections: 10, amount: 2000, warmup: 300, purchases: 60, keepLogs: false, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") Object.assign(opts, { amount: 300, warmup: 50, purchases: 10 });
    else if (arg === "--keep-logs") opts.keepLogs = true;
    else if (arg === "--profile") opts.profile = true;
    else if (arg.startsWith("--") && arg.slice(2) in opts) opts[arg.slice(2)] = Number(argv[++i]);
    else throw new Error(`unknown option ${arg} (known: --connections --amount --warmup --purchases --quick --keep-logs --profile)`);
  }
  return opts;
}

export const LICENSE_POOL = 20; // validate/activate rotate over this many licenses, each re-activating its own machine
export const POLL_MS = 20;
export const REFUND_CONCURRENCY = 1; // each refund polled alone: the polling itself is load on the worker
export const PURCHASE_INTERVAL_MS = 100;
export const ROUNDS = 8;
export const KiB = 1024;

export const TARGETS = {
  webhook: { floor: "plain", maxRatio: 2 },
  jwks: { floor: "plain", maxRatio: null },
  validate: { floor: "db", maxRatio: 1.5 },
  activate: { floor: "db", maxRatio: 1.5 },
  status: { floor: "db", maxRatio: 1.5 },
  refundToRevokedP99Ms: 1500,
  checkoutToEmailP99Ms: 3000,
  bundleGzipKiB: 300,
};

export const started = performance.now();
export const log = (msg) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const ms = (v) => (v === null || v === undefined ? "—" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
