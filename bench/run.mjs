// npm run bench — latency and throughput of the service under load, each endpoint next to a floor
// measured in the same run on the same machine, plus the two end-to-end delays that matter
// (checkout → email, refund → revoked) and the bundle size. See docs/performance.md.
//
// What runs: embedded PostgreSQL + migrations + the local Neon HTTP endpoint (startLocalStack, as
// `npm run dev`), fake Stripe / Resend / Logto servers, `wrangler dev` for the service (the bundle
// `wrangler deploy --dry-run` produced, so the code measured is the code weighed, and an edit in src/
// during the run cannot reload it) with its real queue consumer, and two floor workers (bench/floors).
// The load generator (autocannon) runs in a child process: bench/load.mjs.
//
// Options: --connections N (10) --amount N (2000) --warmup N (300) --purchases N (60), --quick (a
// short run while working on the bench), --keep-logs (keep the servers' output in a temp dir),
// --profile (after each endpoint's measured run, one more run under the CPU profiler: where the
// service's isolate spends its time, by package and function; not used for the table).
import { execFileSync, fork } from "node:child_process";
import { webcrypto } from "node:crypto";
import net from "node:net";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { startLocalStack } from "../scripts/lib/local-stack.mjs";
import { startFakeLogto, startFakeResend, startFakeStripe } from "./lib/fakes.mjs";
import { cleanup, exitOnSignals, onCleanup, removeDir, startGroup, withTimeout } from "./lib/processes.mjs";
import { attribute, connectProfiler } from "./lib/profiler.mjs";
import { loadSourceMap } from "./lib/sourcemap.mjs";
import { summarize } from "./lib/stats.mjs";
import * as stripe from "./lib/stripe-objects.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
process.chdir(root);

// ---------------------------------------------------------------------------------------------
// Settings and targets

function parseArgs(argv) {
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
const opts = parseArgs(process.argv.slice(2));
const LICENSE_POOL = 20; // validate/activate rotate over this many licenses, each re-activating its own machine
const POLL_MS = 20;
const REFUND_CONCURRENCY = 1; // each refund polled alone: the polling itself is load on the worker
const PURCHASE_INTERVAL_MS = 100;
const ROUNDS = 8;
const KiB = 1024;

const TARGETS = {
  webhook: { floor: "plain", maxRatio: 2 },
  jwks: { floor: "plain", maxRatio: null },
  validate: { floor: "db", maxRatio: 1.5 },
  activate: { floor: "db", maxRatio: 1.5 },
  status: { floor: "db", maxRatio: 1.5 },
  refundToRevokedP99Ms: 1500,
  checkoutToEmailP99Ms: 3000,
  bundleGzipKiB: 300,
};

const started = performance.now();
const log = (msg) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ms = (v) => (v === null || v === undefined ? "—" : v >= 100 ? v.toFixed(0) : v.toFixed(1));

exitOnSignals(log);

// ---------------------------------------------------------------------------------------------
// Temp dirs, commands

const tmp = mkdtempSync(join(os.tmpdir(), "maximus-bench-"));
onCleanup("temp dir", () => removeDir(tmp));
const logs = opts.keepLogs ? mkdtempSync(join(os.tmpdir(), "maximus-bench-logs-")) : join(tmp, "logs");
if (!opts.keepLogs) mkdirSync(logs);
// initdb runs as the `postgres` user when we are root: its data dir gets its own temp dir, as in the tests.
const pgDataDir = mkdtempSync(join(os.tmpdir(), "maximus-bench-pg-"));
onCleanup("postgres data dir", () => removeDir(pgDataDir));
const floorsWranglerDir = join(root, "bench/floors/.wrangler");
if (!existsSync(floorsWranglerDir)) onCleanup("bench/floors/.wrangler", () => removeDir(floorsWranglerDir));

const childEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" };

async function runCommand(name, args) {
  const proc = startGroup(name, "npx", args, { logFile: join(logs, `${name}.log`), env: childEnv });
  const { code, signal } = await new Promise((r) => proc.child.on("exit", (code, signal) => r({ code, signal })));
  if (code !== 0) throw new Error(`${name} failed (${code ?? signal}):\n${proc.tail()}`);
  return readFileSync(join(logs, `${name}.log`), "utf8");
}

// ---------------------------------------------------------------------------------------------
// Bundle size

function bundleFile(dir) {
  const main = readdirSync(dir).filter((f) => f.endsWith(".js")).map((f) => join(dir, f));
  return main.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

async function measureBundle() {
  const outdir = join(tmp, "bundle");
  const output = await runCommand("wrangler-deploy-dry-run", ["wrangler", "deploy", "--dry-run", "--outdir", outdir]);
  const file = bundleFile(outdir);
  const code = readFileSync(file);
  const wranglerSays = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output);
  const sourceMap = existsSync(`${file}.map`) ? loadSourceMap(readFileSync(`${file}.map`, "utf8")) : null;
  // Our own files as one part; each package on its own.
  const parts = sourceMap?.weigh(code.toString("utf8"), (section) => (section.startsWith("src/") ? "src/ (ours)" : section)) ?? [];
  return {
    file,
    sourceMap,
    rawKiB: code.length / KiB,
    gzipKiB: gzipSync(code).length / KiB,
    wranglerReported: wranglerSays ? { rawKiB: Number(wranglerSays[1]), gzipKiB: Number(wranglerSays[2]) } : null,
    minified: !code.subarray(0, 4096).includes("\n// "),
    largest: parts.sort((a, b) => b.gzipKiB - a.gzipKiB).slice(0, 8),
  };
}

// ---------------------------------------------------------------------------------------------
// Servers

async function generateSigningKey() {
  const { privateKey } = await webcrypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const jwk = await webcrypto.subtle.exportKey("jwk", privateKey);
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d, kid: `bench-${webcrypto.randomUUID().slice(0, 8)}`, alg: "EdDSA" };
}

/**
 * A port that is free now, chosen below Linux's ephemeral range (32768+): ports handed out by
 * bind(0) to the many sockets wrangler and workerd open while starting cannot take it from us.
 */
async function pickPort() {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** wrangler dev on a free port, its output in a log file; resolves once `readyPath` answers 200. */
async function startWrangler(name, options, attempt = 1) {
  try {
    return await startWranglerOnce(name, options);
  } catch (err) {
    if (attempt < 3 && /Address already in use/.test(String(err.message))) return startWrangler(name, options, attempt + 1);
    throw err;
  }
}

async function startWranglerOnce(name, { config, vars, readyPath, extraArgs = [] }) {
  const port = await pickPort();
  const inspectorPort = await pickPort();
  const envFile = join(tmp, "empty.env"); // so that a developer's .dev.vars never leaks into the bench
  writeFileSync(envFile, "");
  const args = [
    "wrangler", "dev", "-c", config, "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort),
    "--persist-to", join(tmp, `state-${name}`), "--env-file", envFile, "--show-interactive-dev-session=false",
    ...extraArgs,
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const proc = startGroup(`wrangler dev (${name})`, "npx", args, { logFile: join(logs, `wrangler-${name}.log`), env: childEnv });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (proc.exited()) {
      await proc.stop();
      throw new Error(`wrangler dev (${name}) exited early:\n${proc.tail()}`);
    }
    try {
      const res = await fetch(origin + readyPath, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return { origin, proc, inspectorOrigin: `http://127.0.0.1:${inspectorPort}` };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`wrangler dev (${name}) did not answer ${readyPath} within 90 s:\n${proc.tail()}`);
}

// ---------------------------------------------------------------------------------------------
// The load generator (another process)

function startLoadGenerator() {
  const child = fork(fileURLToPath(new URL("./load.mjs", import.meta.url)), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
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
    run: (target, amount, onProgress) => call({ target, connections: opts.connections, amount }, onProgress),
  };
}

// ---------------------------------------------------------------------------------------------
// Main

const db = { requests: 0, statements: 0, ms: 0 };
const snapshot = () => ({ ...db });

async function main() {
  log(`settings: ${opts.connections} connections, ${opts.warmup} warm-up + ${opts.amount} measured requests per run, ${opts.purchases} purchases; ${os.cpus().length} cores`);

  log("1/7 bundle: wrangler deploy --dry-run");
  const bundle = await measureBundle();
  log(`    ${ms(bundle.rawKiB)} KiB raw, ${ms(bundle.gzipKiB)} KiB gzip${bundle.minified ? " (minified)" : ""}`);

  log("2/7 local stack: embedded Postgres, migrations, local Neon HTTP endpoint; fake Stripe, Resend, Logto");
  const stack = await startLocalStack({
    dataDir: pgDataDir,
    persistent: false,
    log: (m) => log(`    ${m}`),
    endpoint: {
      onRequest: ({ statements, ms: took }) => {
        db.requests++;
        db.statements += statements;
        db.ms += took;
      },
    },
  });
  // After Ctrl-C, Postgres (in our process group) has already stopped, and stop() would wait for an exit it missed.
  onCleanup("local stack", () => withTimeout(stack.stop(), 3000, "stopping Postgres"));
  const logtoResource = "https://api.maximus.bench";
  const [fakeStripe, fakeResend, fakeLogto] = await Promise.all([startFakeStripe(), startFakeResend(), startFakeLogto({ resource: logtoResource })]);
  for (const fake of [fakeStripe, fakeResend, fakeLogto]) onCleanup(`fake ${fake.origin}`, fake.close);
  const sql = new pg.Client({ connectionString: stack.databaseUrl });
  await sql.connect();
  onCleanup("pg client", () => sql.end());

  log("3/7 wrangler dev: the service (with its queue consumer) and the two floor workers");
  const secrets = {
    webhook: `whsec_bench_${webcrypto.randomUUID().replaceAll("-", "")}`,
    internal: `bench-internal-${webcrypto.randomUUID()}`,
    signingKey: await generateSigningKey(),
  };
  const serviceConfig = join(tmp, "wrangler.toml");
  const toml = readFileSync("wrangler.toml", "utf8")
    .replace(/^name\s*=.*$/m, 'name = "maximus-api-bench"')
    .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(bundle.file)}`);
  writeFileSync(serviceConfig, toml);
  const dbVars = { DATABASE_URL: stack.databaseUrl, NEON_HTTP_ENDPOINT: stack.endpointUrl };
  const [service, plainFloor, dbFloor] = await Promise.all([
    startWrangler("service", {
      config: serviceConfig,
      extraArgs: ["--no-bundle"],
      readyPath: "/health",
      vars: {
        ...dbVars,
        STRIPE_SECRET_KEY: "sk_test_bench_only",
        STRIPE_WEBHOOK_SECRET: secrets.webhook,
        STRIPE_API_BASE: fakeStripe.origin,
        INTERNAL_API_KEYS: secrets.internal,
        LICENSE_SIGNING_KEYS: JSON.stringify([secrets.signingKey]),
        LOGTO_ENDPOINT: fakeLogto.origin,
        LOGTO_API_RESOURCE: logtoResource,
        RESEND_API_KEY: "re_bench_only",
        RESEND_BASE_URL: fakeResend.origin,
        // The per-key limiter (30/min) would answer 429 to a load test and to the refund poll by design.
        RATE_LIMIT_DISABLED: "true",
      },
    }),
    startWrangler("floor-plain", { config: "bench/floors/wrangler.plain.toml", readyPath: "/", vars: {} }),
    startWrangler("floor-db", { config: "bench/floors/wrangler.db.toml", readyPath: "/", vars: dbVars }),
  ]);
  log(`    service ${service.origin}, plain floor ${plainFloor.origin}, db floor ${dbFloor.origin}`);

  const api = async (method, path, { body, headers = {} } = {}) => {
    const res = await fetch(service.origin + path, {
      method,
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, json, text };
  };
  const must = (res, status, what) => {
    if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 300)}`);
    return res.json;
  };
  const deliver = async (evt) => {
    const { payload, signature } = await stripe.signEvent(evt, secrets.webhook);
    const res = await api("POST", "/subscriptions/webhook", { body: payload, headers: { "Stripe-Signature": signature } });
    return must(res, 200, `webhook ${evt.type}`);
  };
  const KEY_IN_EMAIL = /\b(S[RL]-(?:BASE|PREMIUM)-[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/;
  const purchase = async (n) => {
    const p = stripe.newPurchase(n);
    fakeStripe.world.subscriptions.set(p.subscriptionId, stripe.subscription(p));
    fakeStripe.world.invoicePayments.set(p.paymentIntentId, stripe.invoicePayment(p));
    const mailPromise = fakeResend.emailTo(p.email, 20_000);
    await deliver(stripe.event("checkout.session.completed", stripe.checkoutSession(p)));
    const acceptedAt = performance.now();
    const mail = await mailPromise;
    const key = KEY_IN_EMAIL.exec(mail.text)?.[1];
    if (!key) throw new Error(`no license key in the email to ${p.email}`);
    return { p, key, emailMs: mail.at - acceptedAt };
  };

  log("4/7 data: licenses for validate/activate (internal API), a subscriber for status (checkout webhook)");
  const licenses = [];
  for (let i = 0; i < LICENSE_POOL; i++) {
    const lic = must(
      await api("POST", "/licenses/generate", {
        headers: { Authorization: `Bearer ${secrets.internal}` },
        body: { email: `bench-${i}@bench.test`, product: "simpl-resultat", tier: "base", duration_days: 365, send_email: false },
      }),
      201,
      "generate license",
    );
    const machineId = `bench-machine-${i}-${webcrypto.randomUUID()}`;
    must(await api("POST", "/licenses/activate", { body: { key: lic.key, machine_id: machineId, machine_name: "Bench", platform: "linux", app_version: "1.0.0" } }), 200, "activate");
    licenses.push({ key: lic.key, machineId });
  }
  const subscriber = await purchase("status");
  const accessToken = await fakeLogto.signAccessToken(subscriber.p.logtoUserId);
  const status = must(await api("GET", "/subscriptions/status", { headers: { Authorization: `Bearer ${accessToken}` } }), 200, "status");
  if (status.status !== "active") throw new Error(`status of the bench subscriber: ${JSON.stringify(status)}`);

  // ---- load phases -------------------------------------------------------------------------
  // Each endpoint and its floor get the same requests (method, headers, body size). After a warm-up
  // of each, the measured requests are taken in ROUNDS alternating chunks (floor, endpoint, floor,
  // ...), so that whatever else the machine is doing weighs on both alike.
  const load = startLoadGenerator();
  const profileAmount = Math.min(opts.amount, 1000);
  const json = { "content-type": "application/json" };
  await load.loadBodies("validate", licenses.map((l) => ({ body: JSON.stringify({ key: l.key, machine_id: l.machineId }) })), true);
  const activateBody = (l) => JSON.stringify({ key: l.key, machine_id: l.machineId, machine_name: "Bench", platform: "linux", app_version: "1.0.0" });
  await load.loadBodies("activate", licenses.map((l) => ({ body: activateBody(l) })), true);
  const webhookEvents = async (count) => {
    const list = [];
    for (let i = 0; i < count; i++) {
      const p = stripe.newPurchase(`wh-${i}`); // a subscription we never heard of: the consumer records and ignores it
      const { payload, signature } = await stripe.signEvent(stripe.event("invoice.payment_succeeded", stripe.invoice(p)), secrets.webhook);
      list.push({ body: payload, headers: { "stripe-signature": signature } });
    }
    return list;
  };

  const phases = [
    {
      name: "jwks",
      label: "GET /.well-known/jwks.json",
      request: { method: "GET", path: "/.well-known/jwks.json" },
      // What one log line per request costs in wrangler dev, next to the floor that writes none.
      reference: { name: "plain floor + 1 log line", headers: { "x-bench-log": "1" } },
    },
    { name: "webhook", label: "POST /subscriptions/webhook", request: { method: "POST", path: "/subscriptions/webhook", headers: json, bodiesKey: "webhook" } },
    { name: "validate", label: "POST /licenses/validate", request: { method: "POST", path: "/licenses/validate", headers: json, bodiesKey: "validate", sampleBody: licenses[0] && JSON.stringify({ key: licenses[0].key, machine_id: licenses[0].machineId }) } },
    { name: "activate", label: "POST /licenses/activate", request: { method: "POST", path: "/licenses/activate", headers: json, bodiesKey: "activate", sampleBody: activateBody(licenses[0]) } },
    { name: "status", label: "GET /subscriptions/status", request: { method: "GET", path: "/subscriptions/status", headers: { Authorization: `Bearer ${accessToken}` } } },
  ];

  const emptyPool = () => ({ latencies: [], statuses: {}, errors: 0, seconds: 0, bodiesUsed: 0, db: { requests: 0, statements: 0, ms: 0 } });
  const runInto = async (pool, target, amount, title) => {
    const before = snapshot();
    const isTTY = process.stdout.isTTY;
    const r = await load.run(target, amount, (n) => isTTY && process.stdout.write(`\r      ${title}: ${n}/${amount}   `));
    if (isTTY) process.stdout.write("\r\x1b[K");
    const after = snapshot();
    pool.latencies.push(...r.latencies);
    for (const [code, n] of Object.entries(r.statuses)) pool.statuses[code] = (pool.statuses[code] ?? 0) + n;
    pool.errors += r.errors;
    pool.seconds += r.seconds;
    pool.bodiesUsed += r.bodiesUsed;
    for (const k of ["requests", "statements", "ms"]) pool.db[k] += after[k] - before[k];
    return r;
  };
  const finish = (pool) => {
    const n = pool.latencies.length;
    const ok = Object.entries(pool.statuses).filter(([code]) => code.startsWith("2")).reduce((a, [, c]) => a + c, 0);
    return {
      ...summarize(pool.latencies),
      rps: n / pool.seconds,
      statuses: pool.statuses,
      failed: n - ok + pool.errors,
      db: { roundTripsPerRequest: pool.db.requests / n, statementsPerRequest: pool.db.statements / n, msPerRequest: pool.db.ms / n },
    };
  };
  const describe = (title, r) =>
    `      ${title.padEnd(24)} p50 ${ms(r.p50).padStart(5)} ms  p99 ${ms(r.p99).padStart(5)} ms  ${r.rps.toFixed(0).padStart(4)} req/s  ` +
    `${r.db.roundTripsPerRequest.toFixed(2)} DB round trips (${r.db.msPerRequest.toFixed(2)} ms in the DB endpoint)/request` +
    (r.failed ? `  ${r.failed} FAILED ${JSON.stringify(r.statuses)}` : "");

  const inspectors = { service: service.inspectorOrigin, plain: plainFloor.inspectorOrigin, db: dbFloor.inspectorOrigin };
  /** One more run of `target` under the CPU profiler of `worker`: isolate CPU per request and where it went. */
  // Attached only for the profiled run: an inspector session slows the isolate down for as long as it is open.
  const profiled = async (worker, target, title) => {
    const profiler = await connectProfiler(inspectors[worker]);
    onCleanup(`profiler (${worker})`, () => profiler.close());
    await profiler.start();
    const pool = emptyPool();
    await runInto(pool, target, profileAmount, `${title} (profiled)`);
    const profile = attribute(await profiler.stop(), worker === "service" ? bundle.sourceMap : null);
    profiler.close();
    return { ...profile, requests: pool.latencies.length, cpuMsPerRequest: profile.busyMs / pool.latencies.length };
  };

  /** Waits until the queue consumer has applied `expected` bench webhook events (they are recorded and ignored). */
  const waitForConsumer = async (expected) => {
    const waitStart = performance.now();
    let done = 0;
    while (performance.now() - waitStart < 120_000) {
      const { rows } = await sql.query(
        "select count(*)::int as n from stripe_events where type = 'invoice.payment_succeeded' and status in ('processed', 'ignored')",
      );
      done = rows[0].n;
      if (done >= expected) break;
      await sleep(100);
    }
    if (done < expected) throw new Error(`the queue consumer applied ${done} of ${expected} webhook events within 120 s`);
    return { events: expected, applied: done, waitedMs: performance.now() - waitStart };
  };

  const endpoints = [];
  const chunk = Math.ceil(opts.amount / ROUNDS);
  log(`5/7 load: ${opts.warmup} warm-up requests each, then ${opts.amount} measured in ${ROUNDS} rounds alternating with the floor`);
  for (const [i, phase] of phases.entries()) {
    const target = TARGETS[phase.name];
    const floorWorker = target.floor === "plain" ? plainFloor : dbFloor;
    log(`    ${i + 1}/${phases.length} ${phase.label} (floor: ${target.floor})`);
    const { method, path, headers, bodiesKey } = phase.request;
    let sampleBody = phase.request.sampleBody;
    if (phase.name === "webhook") {
      // Signed now: Stripe's signatures are good for 300 s.
      const list = await webhookEvents(opts.warmup + opts.amount + (opts.profile ? profileAmount : 0));
      await load.loadBodies("webhook", list, false);
      sampleBody = list[0].body;
    }
    const runs = [
      // The floor needs no fresh bodies: one of the same size does.
      { key: "floor", title: `${target.floor} floor`, target: { url: floorWorker.origin + path, method, headers, ...(sampleBody ? { body: sampleBody } : {}) } },
      { key: "service", title: phase.name, target: { url: service.origin + path, method, headers, ...(bodiesKey ? { bodiesKey } : {}) } },
    ];
    if (phase.reference) {
      runs.push({ key: "reference", title: phase.reference.name, target: { url: plainFloor.origin + path, method, headers: { ...headers, ...phase.reference.headers } } });
    }
    const pools = Object.fromEntries(runs.map((r) => [r.key, emptyPool()]));
    for (const r of runs) await runInto(emptyPool(), r.target, opts.warmup, `${r.title} warm-up`);
    // The queue consumer applies webhook events in the same isolate: the floor must not run while it does.
    // Its database work is counted with the chunk it follows: per request, it is the consumer's per event.
    let consumerWaitMs = 0;
    const settle = async () => {
      if (phase.name !== "webhook") return;
      const before = snapshot();
      consumerWaitMs += (await waitForConsumer(webhookEventsUsed())).waitedMs;
      const after = snapshot();
      for (const k of ["requests", "statements", "ms"]) pools.service.db[k] += after[k] - before[k];
    };
    const webhookEventsUsed = () => opts.warmup + pools.service.bodiesUsed;
    if (phase.name === "webhook") await waitForConsumer(opts.warmup); // the warm-up's events, not counted
    for (let round = 0; round < ROUNDS; round++) {
      const amount = Math.min(chunk, opts.amount - round * chunk);
      for (const r of runs) {
        await runInto(pools[r.key], r.target, amount, `${r.title} (round ${round + 1}/${ROUNDS})`);
        if (r.key === "service") await settle();
      }
    }
    const floor = finish(pools.floor);
    const result = finish(pools.service);
    log(describe(`${target.floor} floor`, floor));
    log(describe(phase.name, result));
    const ratio = result.p99 / floor.p99;
    const entry = {
      name: phase.name,
      label: phase.label,
      ...result,
      floor: { name: target.floor, ...floor },
      ratio,
      target: target.maxRatio,
      pass: target.maxRatio === null ? null : ratio <= target.maxRatio && result.failed === 0,
    };
    if (phase.reference) {
      const ref = finish(pools.reference);
      log(describe(phase.reference.name, ref));
      entry.reference = { name: phase.reference.name, ...ref, ratio: ref.p99 / floor.p99 };
    }
    if (phase.name === "webhook") {
      // Measured events over the time from each chunk's first request to its last event applied.
      const eventsPerSecond = pools.service.bodiesUsed / (pools.service.seconds + consumerWaitMs / 1000);
      entry.consumer = { events: pools.service.bodiesUsed, backlogAfterChunksMs: consumerWaitMs, eventsPerSecond };
      entry.dbNote = "queue consumer, per event (the webhook request itself makes none)";
      log(`      queue consumer: ${eventsPerSecond.toFixed(0)} events/s applied (backlog left after the ${ROUNDS} chunks: ${ms(consumerWaitMs)} ms in all)`);
    }
    if (opts.profile) {
      const serviceProfile = await profiled("service", runs[1].target, phase.name);
      pools.service.bodiesUsed += serviceProfile.requests; // fresh webhook events used up
      await settle();
      const floorProfile = await profiled(target.floor, runs[0].target, `${target.floor} floor`);
      entry.profile = { service: serviceProfile, floor: { cpuMsPerRequest: floorProfile.cpuMsPerRequest, busySamples: floorProfile.busySamples } };
      const top = serviceProfile.sections.slice(0, 6).map((x) => `${x.name} ${(x.share * 100).toFixed(0)}%`).join(", ");
      log(`      CPU in the isolate: ${serviceProfile.cpuMsPerRequest.toFixed(2)} ms/request (${target.floor} floor: ${floorProfile.cpuMsPerRequest.toFixed(2)}); by package: ${top}`);
    }
    endpoints.push(entry);
  }

  // ---- end-to-end delays -------------------------------------------------------------------
  log(`6/7 checkout → email over ${opts.purchases} purchases (one checkout every ${PURCHASE_INTERVAL_MS} ms)`);
  const stripeCalls = () => Object.values(fakeStripe.callCounts()).reduce((a, b) => a + b, 0);
  let dbBefore = snapshot();
  let stripeBefore = stripeCalls();
  const purchases = await Promise.all(
    Array.from({ length: opts.purchases }, async (_, i) => {
      await sleep(i * PURCHASE_INTERVAL_MS);
      return purchase(i);
    }),
  );
  await sleep(500); // the outbox row is marked sent after Resend answered
  const emailStats = summarize(purchases.map((x) => x.emailMs));
  emailStats.dbRoundTripsPerPurchase = (snapshot().requests - dbBefore.requests) / purchases.length;
  emailStats.stripeCallsPerPurchase = (stripeCalls() - stripeBefore) / purchases.length;
  log(`    p50 ${ms(emailStats.p50)} ms, p99 ${ms(emailStats.p99)} ms, max ${ms(emailStats.max)} ms; per purchase: ${emailStats.dbRoundTripsPerPurchase.toFixed(1)} DB round trips, ${emailStats.stripeCallsPerPurchase.toFixed(1)} Stripe API calls`);

  log(`    refund → revoked over ${purchases.length} purchases (${REFUND_CONCURRENCY} at a time, validate polled every ${POLL_MS} ms)`);
  const revokeMs = [];
  const queue = [...purchases];
  let polls = 0;
  dbBefore = snapshot();
  stripeBefore = stripeCalls();
  const refundWorker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      await deliver(stripe.event("charge.refunded", stripe.charge(item.p)));
      const acceptedAt = performance.now();
      for (;;) {
        const pollStart = performance.now();
        const res = must(await api("POST", "/licenses/validate", { body: { key: item.key } }), 200, "validate (poll)");
        polls++;
        if (res.code === "revoked") {
          revokeMs.push(performance.now() - acceptedAt);
          break;
        }
        if (performance.now() - acceptedAt > 10_000) throw new Error(`license of ${item.p.email} still ${res.code} 10 s after its refund`);
        await sleep(Math.max(0, POLL_MS - (performance.now() - pollStart)));
      }
    }
  };
  await Promise.all(Array.from({ length: REFUND_CONCURRENCY }, refundWorker));
  await sleep(200);
  const revokeStats = summarize(revokeMs);
  // Each poll is one round trip of its own.
  revokeStats.dbRoundTripsPerRefund = (snapshot().requests - dbBefore.requests - polls) / revokeMs.length;
  revokeStats.stripeCallsPerRefund = (stripeCalls() - stripeBefore) / revokeMs.length;
  log(`    p50 ${ms(revokeStats.p50)} ms, p99 ${ms(revokeStats.p99)} ms, max ${ms(revokeStats.max)} ms (${polls} polls); per refund: ${revokeStats.dbRoundTripsPerRefund.toFixed(1)} DB round trips, ${revokeStats.stripeCallsPerRefund.toFixed(1)} Stripe API calls`);

  // ---- report --------------------------------------------------------------------------------
  log("7/7 results");
  const pipelines = {
    checkoutToEmail: { ...emailStats, targetP99Ms: TARGETS.checkoutToEmailP99Ms, pass: emailStats.p99 <= TARGETS.checkoutToEmailP99Ms },
    refundToRevoked: { ...revokeStats, targetP99Ms: TARGETS.refundToRevokedP99Ms, pass: revokeStats.p99 <= TARGETS.refundToRevokedP99Ms, pollMs: POLL_MS },
  };
  const bundleResult = { ...bundle, file: undefined, sourceMap: undefined, targetGzipKiB: TARGETS.bundleGzipKiB, pass: bundle.gzipKiB <= TARGETS.bundleGzipKiB };
  printTable({ endpoints, pipelines, bundle: bundleResult });

  const results = {
    finishedAt: new Date().toISOString(),
    code: codeUnderTest(),
    durationSec: (performance.now() - started) / 1000,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}` },
    settings: { ...opts, licensePool: LICENSE_POOL, refundConcurrency: REFUND_CONCURRENCY, purchaseIntervalMs: PURCHASE_INTERVAL_MS, rateLimitDisabled: true },
    endpoints,
    pipelines,
    bundle: bundleResult,
    stripeApiCalls: fakeStripe.callCounts(),
    resendPosts: fakeResend.posts(),
    logtoJwksFetches: fakeLogto.hits(),
  };
  writeFileSync("bench/results.json", `${JSON.stringify(results, null, 2)}\n`);
  const code = results.code;
  if (code) log(`code measured: ${code.commit}${code.uncommitted.length ? ` plus uncommitted changes to ${code.uncommitted.join(", ")}` : ""}`);
  log(`results written to bench/results.json (${((performance.now() - started) / 1000).toFixed(0)} s in all)`);
  if (opts.keepLogs) log(`the servers' output is kept in ${logs}`);
}

/** The commit the bundle was built from, and any uncommitted changes to what goes into it. */
function codeUnderTest() {
  try {
    const git = (...args) => execFileSync("git", args, { encoding: "utf8" });
    const changed = git("status", "--porcelain", "--", "src", "wrangler.toml", "package-lock.json").split("\n").filter(Boolean);
    return { commit: git("rev-parse", "--short", "HEAD").trim(), uncommitted: changed.map((line) => line.slice(3)) };
  } catch {
    return null; // not a git checkout
  }
}

function printTable({ endpoints, pipelines, bundle }) {
  const verdict = (pass) => (pass === null ? "info" : pass ? "pass" : "MISS");
  const rows = [["endpoint", "p50 ms", "p99 ms", "req/s", "DB rt/req", "floor p99 ms", "p99/floor", "target", "result"]];
  for (const e of endpoints) {
    rows.push([
      e.label,
      ms(e.p50),
      ms(e.p99),
      e.rps.toFixed(0),
      e.db.roundTripsPerRequest.toFixed(2) + (e.dbNote ? "*" : ""),
      `${ms(e.floor.p99)} (${e.floor.name})`,
      `${e.ratio.toFixed(2)}×`,
      e.target === null ? "—" : `≤ ${e.target}× ${e.floor.name} floor`,
      verdict(e.pass) + (e.failed ? ` (${e.failed} failed)` : ""),
    ]);
    if (e.reference) {
      const ref = e.reference;
      rows.push([`  (${ref.name})`, ms(ref.p50), ms(ref.p99), ref.rps.toFixed(0), "0.00", `${ms(e.floor.p99)} (${e.floor.name})`, `${ref.ratio.toFixed(2)}×`, "—", "info"]);
    }
  }
  const c = pipelines.checkoutToEmail;
  const r = pipelines.refundToRevoked;
  const rows2 = [
    ["end to end", "p50 ms", "p99 ms", "max ms", "n", "target", "result"],
    ["checkout webhook 200 → email at Resend", ms(c.p50), ms(c.p99), ms(c.max), String(c.count), `p99 ≤ ${c.targetP99Ms} ms`, verdict(c.pass)],
    ["refund webhook 200 → validate says revoked", ms(r.p50), ms(r.p99), ms(r.max), String(r.count), `p99 ≤ ${r.targetP99Ms} ms`, verdict(r.pass)],
  ];
  const rows3 = [
    ["bundle (wrangler deploy --dry-run)", "raw KiB", "gzip KiB", "target", "result"],
    [`as deployed${bundle.minified ? " (minified)" : " (not minified)"}`, ms(bundle.rawKiB), ms(bundle.gzipKiB), `gzip ≤ ${bundle.targetGzipKiB} KiB`, verdict(bundle.pass)],
  ];
  // Each part gzipped on its own: the parts add up to a little more than the whole.
  for (const part of bundle.largest.slice(0, 6)) rows3.push([`  of which ${part.name}`, ms(part.rawKiB), `~${ms(part.gzipKiB)}`, "", ""]);
  const notes = endpoints.filter((e) => e.dbNote).map((e) => `* ${e.name}: DB round trips of the ${e.dbNote}.`);
  for (const table of [rows, rows2, rows3]) {
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
    console.log("");
    for (const [n, row] of table.entries()) {
      console.log(row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join("  "));
      if (n === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
    }
    if (table === rows) for (const note of notes) console.log(note);
  }
  console.log("");
}

try {
  await main();
} catch (err) {
  log(`FAILED: ${err?.stack ?? err}`);
  process.exitCode = 1;
} finally {
  log("stopping everything the bench started");
  await cleanup(log);
  process.exit(process.exitCode ?? 0);
}
