// npm run dev — the whole service locally, no cloud account: embedded Postgres (persistent in
// .data/postgres), migrations, the local Neon HTTP endpoint, then `wrangler dev` on :8787.
// `npm run dev -- --port N` serves on N; values in .dev.vars win over these defaults.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { readDevVars } from "./lib/dev-vars.mjs";
import { startAccessStandIn } from "../tools/fakes/cloudflare-access-server.mjs";
import { startLocalStack } from "../tools/local-stack/local-stack.mjs";
import { startLogtoStandIn } from "../tools/local-stack/logto-standin.mjs";
import { signalGroup, stopGroup } from "../tools/local-stack/process-group.mjs";

const started = Date.now();
const log = (msg) => console.log(`[dev] ${msg}`);

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  log("created .dev.vars from .dev.vars.example (dev-only values)");
}
// DEV_DATA_DIR: another data folder, e.g. for a second dev server beside yours (scripts/e2e-stripe-send.mjs).
const dataDir = process.env.DEV_DATA_DIR ?? ".data";
mkdirSync(dataDir, { recursive: true });

const devVars = readDevVars();
// A stop signal while Postgres starts: finish starting, then stop it, rather than orphan it.
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
let signalledEarly = false;
let onStopRequest = () => (signalledEarly = true);
for (const signal of SIGNALS) process.on(signal, () => onStopRequest());
// npm passes a stop signal only to its own child: a shell between npm and us dies without passing
// it on, and an npm killed outright passes nothing. Either way we are re-parented: treat it as a stop.
const parentAtStart = process.ppid;
setInterval(() => process.ppid !== parentAtStart && onStopRequest(), 250).unref();
const stack = await startLocalStack({ dataDir: `${dataDir}/postgres`, databaseUrl: devVars.DATABASE_URL, log }).catch(
  (err) => {
    if (err.name !== "PostgresSetupError") throw err;
    console.error(`[dev] ${err.message}`);
    process.exit(1);
  },
);
if (signalledEarly) {
  await stack.stop();
  process.exit(0);
}
const args = process.argv.slice(2);
const portAt = args.findIndex((a) => a === "--port" || a.startsWith("--port="));
const port = portAt < 0 ? "8787" : args[portAt].includes("=") ? args[portAt].split("=")[1] : args[portAt + 1];
// The addresses this server answers on: what a DPoP proof's `htu` names (wrangler dev rewrites request.url's host).
// Cloudflare Access for /console, locally: the stand-in signs people in.
const access = await startAccessStandIn();
const vars = {
  ...stack.vars,
  ACCESS_TEAM_DOMAIN: access.teamDomain,
  ACCESS_AUD: access.aud,
  PUBLIC_ORIGINS: `http://127.0.0.1:${port},http://localhost:${port}`,
};
// No Logto tenant set in .dev.vars: a local stand-in signs the desktop app's access tokens.
const logto = devVars.LOGTO_ENDPOINT
  ? null
  : await startLogtoStandIn({
      resource: devVars.LOGTO_API_RESOURCE ?? "https://api.maximus.example",
      clientIds: (devVars.LOGTO_CLIENT_IDS ?? "").split(",").filter(Boolean),
    });
if (logto) vars.LOGTO_ENDPOINT = logto.endpoint;
for (const name of Object.keys(devVars)) delete vars[name]; // .dev.vars wins
const varArgs = Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
const portArgs = portAt < 0 ? ["--port", port] : [];
// wrangler dev rewrites request.url's host and the Origin header to the configured route's host
// (api.maximus.example): make that the address we serve on, so the console's Origin check sees it.
const upstreamArgs = args.some((a) => a.startsWith("--local-upstream"))
  ? []
  : ["--local-upstream", `127.0.0.1:${port}`];

// Its own process group (detached), so stopping this script alone stops npx, wrangler and both
// workerd processes: a process manager or `docker stop` signals only us.
const wrangler = spawn(
  "npx",
  ["wrangler", "dev", "--ip", "127.0.0.1", ...portArgs, ...upstreamArgs, ...varArgs, ...args],
  {
    stdio: "inherit",
    detached: true,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  },
);
log(`local stack ready in ${Date.now() - started} ms; starting wrangler dev`);
if (logto)
  log(
    `Logto stand-in at ${logto.endpoint}: an access token for the account endpoints: ` +
      `curl -s -XPOST ${logto.endpoint}/dev/token -d '{"sub":"<user id>"}'`,
  );
log(`support console: sign in at ${access.signInUrl(`http://127.0.0.1:${port}/console`)}`);

let stopping = false;
let groupStopped = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await stopGroup(wrangler.pid, "SIGINT");
  groupStopped = true;
  await logto?.close();
  await access.close();
  await stack.stop();
  process.exit(code);
}
onStopRequest = () => stop(0);
wrangler.on("exit", (code) => stop(code ?? 0));
// Last resort if this script dies another way (an uncaught error): leave no server behind.
process.on("exit", () => groupStopped || signalGroup(wrangler.pid, "SIGKILL"));
