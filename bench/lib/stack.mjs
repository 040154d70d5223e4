// The servers under test: embedded Postgres behind the local Neon HTTP endpoint (as `npm run dev`),
// fake Stripe / Resend / Logto, `wrangler dev` for the service (the measured bundle, with its real
// queue consumer) and the two floor workers (bench/floors). Everything started is undone by cleanup().
import { webcrypto } from "node:crypto";
import net from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { localBindings } from "../../tools/bindings.mjs";
import { generateSigningKey } from "../../tools/keys/signing-key.mjs";
import { startLocalStack } from "../../tools/local-stack/local-stack.mjs";
import { startFakeLogto, startFakeResend, startFakeStripe } from "./fakes.mjs";
import { onCleanup, startGroup, withTimeout } from "./processes.mjs";
import { log, sleep } from "./settings.mjs";
import { childEnv } from "./workspace.mjs";

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
async function startWrangler(workspace, name, options, attempt = 1) {
  try {
    return await startWranglerOnce(workspace, name, options);
  } catch (err) {
    if (attempt < 3 && /Address already in use/.test(String(err.message)))
      return startWrangler(workspace, name, options, attempt + 1);
    throw err;
  }
}

async function startWranglerOnce({ tmp, logs }, name, { config, vars, readyPath, extraArgs = [] }) {
  const port = await pickPort();
  const inspectorPort = await pickPort();
  const envFile = join(tmp, "empty.env"); // so that a developer's .dev.vars never leaks into the bench
  writeFileSync(envFile, "");
  const args = [
    "wrangler",
    "dev",
    "-c",
    config,
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    join(tmp, `state-${name}`),
    "--env-file",
    envFile,
    "--show-interactive-dev-session=false",
    ...extraArgs,
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const proc = startGroup(`wrangler dev (${name})`, "npx", args, {
    logFile: join(logs, `wrangler-${name}.log`),
    env: childEnv,
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (proc.exited()) {
      await proc.stop();
      throw new Error(`wrangler dev (${name}) exited early:\n${proc.tail()}`);
    }
    try {
      const res = await fetch(origin + readyPath, { signal: AbortSignal.timeout(2000) });
      if (res.ok)
        return {
          origin,
          proc,
          inspectorOrigin: `http://127.0.0.1:${inspectorPort}`,
          logFile: join(logs, `wrangler-${name}.log`),
        };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`wrangler dev (${name}) did not answer ${readyPath} within 90 s:\n${proc.tail()}`);
}

/** Counts what the service asks of the database, through the local Neon HTTP endpoint. */
export function createDbCounter() {
  const db = { requests: 0, statements: 0, ms: 0 };
  return {
    onRequest: ({ statements, ms: took }) => {
      db.requests++;
      db.statements += statements;
      db.ms += took;
    },
    snapshot: () => ({ ...db }),
  };
}

/**
 * Step 2: what the service talks to (Postgres behind the local Neon endpoint, fake Stripe / Resend /
 * Logto) and the service's config and vars; no wrangler dev yet. Every HTTP round trip to the local
 * Neon endpoint is answered `opts.dbRttMs` late (production distance).
 * @param {ReturnType<typeof createDbCounter>} dbCounter
 */
export async function startBackends(workspace, bundle, dbCounter, opts) {
  const stack = await startLocalStack({
    dataDir: workspace.pgDataDir,
    persistent: false,
    log: (m) => log(`    ${m}`),
    endpoint: { onRequest: dbCounter.onRequest, delayMs: opts.dbRttMs },
  });
  // After Ctrl-C, Postgres (in our process group) has already stopped, and stop() would wait for an exit it missed.
  onCleanup("local stack", () => withTimeout(stack.stop(), 3000, "stopping Postgres"));
  const logtoResource = "https://api.maximus.bench";
  const [fakeStripe, fakeResend, fakeLogto] = await Promise.all([
    startFakeStripe(),
    startFakeResend(),
    startFakeLogto({ resource: logtoResource }),
  ]);
  for (const fake of [fakeStripe, fakeResend, fakeLogto]) onCleanup(`fake ${fake.origin}`, fake.close);
  const sql = new pg.Client({ connectionString: stack.databaseUrl });
  await sql.connect();
  onCleanup("pg client", () => sql.end());

  const secrets = {
    webhook: `whsec_bench_${webcrypto.randomUUID().replaceAll("-", "")}`,
    internal: `bench-internal-${webcrypto.randomUUID()}`,
    signingKey: await generateSigningKey(`bench-${webcrypto.randomUUID().slice(0, 8)}`),
  };
  const serviceConfig = join(workspace.tmp, "wrangler.toml");
  const toml = readFileSync("wrangler.toml", "utf8")
    .replace(/^name\s*=.*$/m, 'name = "maximus-api-bench"')
    .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(bundle.file)}`)
    // The config now lives in a temp dir: the static assets' folder is relative to the repository.
    .replace(/^directory\s*=\s*"([^"]+)"/m, (_, dir) => `directory = ${JSON.stringify(resolve(dir))}`);
  writeFileSync(serviceConfig, toml);
  const dbVars = stack.vars;
  const serviceVars = localBindings({
    stack,
    signingKeys: JSON.stringify([secrets.signingKey]),
    stripeSecretKey: "sk_test_bench_only",
    webhookSecrets: [secrets.webhook],
    internalKeys: [secrets.internal],
    resendApiKey: "re_bench_only",
    fakes: { stripe: fakeStripe.origin, resend: fakeResend.origin, logto: fakeLogto.origin, logtoResource },
    // The per-key limiter (30/min) would answer 429 to a load test and to the refund poll by design.
    extra: { RATE_LIMIT_DISABLED: "true" },
  });
  return { stack, sql, secrets, fakeStripe, fakeResend, fakeLogto, serviceConfig, serviceVars, dbVars };
}

/** Steps 2 and 3: everything the load runs against (startBackends, then the service and the two floors). */
export async function startStack(workspace, bundle, dbCounter, opts) {
  const backends = await startBackends(workspace, bundle, dbCounter, opts);
  const { serviceConfig, serviceVars, dbVars } = backends;
  log("3/7 wrangler dev: the service (with its queue consumer) and the two floor workers");
  const [service, plainFloor, dbFloor] = await Promise.all([
    startService(workspace, "service", serviceConfig, serviceVars),
    startWrangler(workspace, "floor-plain", { config: "bench/floors/wrangler.plain.toml", readyPath: "/", vars: {} }),
    startWrangler(workspace, "floor-db", { config: "bench/floors/wrangler.db.toml", readyPath: "/", vars: dbVars }),
  ]);
  log(`    service ${service.origin}, plain floor ${plainFloor.origin}, db floor ${dbFloor.origin}`);
  return { ...backends, service, plainFloor, dbFloor };
}

/** The same service with its rate limiters on, as deployed: the memory floods must meet the 429 path. */
export async function startLimitedService(workspace, { serviceConfig, serviceVars }) {
  const { RATE_LIMIT_DISABLED: _on, ...vars } = serviceVars;
  return startService(workspace, "service-limited", serviceConfig, vars);
}

/**
 * The same limited service without an inspector (bench/serve-without-inspector.mjs): its resident
 * memory under the same floods tells what the inspector and its log relay hold.
 */
export async function startLimitedServiceWithoutInspector({ tmp, logs }, { serviceConfig, serviceVars }) {
  const { RATE_LIMIT_DISABLED: _on, ...vars } = serviceVars;
  const port = await pickPort();
  const envFile = join(tmp, "empty.env");
  writeFileSync(envFile, "");
  const settings = { config: serviceConfig, port, persist: join(tmp, "state-no-inspector"), envFile, vars };
  const logFile = join(logs, "wrangler-service-no-inspector.log");
  const proc = startGroup(
    "wrangler (service, no inspector)",
    process.execPath,
    ["bench/serve-without-inspector.mjs", JSON.stringify(settings)],
    { logFile, env: childEnv },
  );
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (proc.exited()) throw new Error(`the service without an inspector exited early:\n${proc.tail()}`);
    const ok = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { origin, proc, inspectorOrigin: null, logFile };
    await sleep(200);
  }
  throw new Error(`the service without an inspector did not answer /health within 90 s:\n${proc.tail()}`);
}

/** The service from the measured bundle (`--no-bundle`: wrangler serves it as built), ready once /health answers. */
function startService(workspace, name, config, vars) {
  return startWrangler(workspace, name, { config, extraArgs: ["--no-bundle"], readyPath: "/health", vars });
}
