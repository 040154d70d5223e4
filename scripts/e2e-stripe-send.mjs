// npm run test:e2e — the README's "try it" path, end to end and in Node (it drives processes, so it
// cannot run inside workerd): starts `npm run dev` on a free port with its own data folder (so a
// developer's running dev server is left alone), then `npm run stripe:send -- purchase`, `dispute`,
// `dispute-won` and `refund`, and checks that the printed key is valid, suspended, valid again, revoked.
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { requestJson } from "../tools/http/json-request.mjs";
import { check, createChecks } from "./lib/checks.mjs";
import { spawnDev, waitForHealth } from "./lib/dev-server.mjs";
import { freePort } from "../tools/local-stack/embedded-postgres.mjs";

const run = promisify(execFile);
const started = Date.now();
const dataDir = mkdtempSync(join(tmpdir(), "maximus-e2e-"));
chmodSync(dataDir, 0o755); // as root, initdb runs as the `postgres` user and must reach postgres/ inside
const [port, inspectorPort] = [await freePort(), await freePort()];
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, DEV_DATA_DIR: dataDir, WRANGLER_SEND_METRICS: "false" };
const log = (msg) => console.log(`[e2e] ${msg}`);

const devLog = join(dataDir, "dev.log");
// Its own process group, so stopping it is a Ctrl-C to everything `npm run dev` started.
const dev = spawnDev({ dataDir, port, inspectorPort, env, logFile: devLog });
const devExited = new Promise((resolve) => dev.on("exit", resolve));

async function stopDev() {
  try {
    process.kill(-dev.pid, "SIGINT");
  } catch {
    return;
  }
  const stopped = await Promise.race([
    devExited.then(() => true),
    new Promise((r) => setTimeout(() => r(false), 15_000)),
  ]);
  if (!stopped) process.kill(-dev.pid, "SIGKILL");
}

const stripeSend = async (...args) =>
  (await run("npm", ["run", "-s", "stripe:send", "--", ...args, "--port", String(port)], { env, timeout: 60_000 }))
    .stdout;

const validate = async (key) => (await requestJson(base, "POST", "/licenses/validate", { body: { key } })).json;

const checks = createChecks(log);
const test = checks.test;

let key = null;
try {
  await waitForHealth(base, dev, 45_000);
  log(`npm run dev is up on ${base} after ${Date.now() - started} ms`);

  await test("stripe:send purchase prints a license key that validates", async () => {
    const email = `e2e-${Date.now()}@example.test`;
    const output = await stripeSend("purchase", "--email", email);
    process.stdout.write(`${output.trimEnd().replace(/^/gm, "    ")}\n`);
    key = output.match(/^key: (SR-BASE-[\w-]+\.[\w-]+\.[\w-]+)$/m)?.[1] ?? null;
    check(key, "no `key: SR-BASE-...` line in the output");
    const verdict = await validate(key);
    check(verdict.valid === true && verdict.code === "valid", `validate said ${JSON.stringify(verdict)}`);
  });

  await test("stripe:send dispute suspends that license, dispute-won reinstates it", async () => {
    check(key, "no key from the purchase");
    const opened = await stripeSend("dispute");
    process.stdout.write(`${opened.trimEnd().replace(/^/gm, "    ")}\n`);
    let verdict = await validate(key);
    check(
      verdict.valid === false && verdict.code === "suspended",
      `validate after dispute said ${JSON.stringify(verdict)}`,
    );
    const won = await stripeSend("dispute-won");
    process.stdout.write(`${won.trimEnd().replace(/^/gm, "    ")}\n`);
    verdict = await validate(key);
    check(
      verdict.valid === true && verdict.code === "valid",
      `validate after dispute-won said ${JSON.stringify(verdict)}`,
    );
  });

  await test("stripe:send refund revokes that license", async () => {
    check(key, "no key from the purchase");
    const output = await stripeSend("refund");
    process.stdout.write(`${output.trimEnd().replace(/^/gm, "    ")}\n`);
    check(/revoked at .* \(refund\)/.test(output), "the output does not say the license is revoked");
    const verdict = await validate(key);
    check(verdict.valid === false && verdict.code === "revoked", `validate said ${JSON.stringify(verdict)}`);
  });
} catch (err) {
  checks.fail("setup", err);
} finally {
  await stopDev();
  if (checks.failed) {
    log("npm run dev output (last 40 lines):");
    console.log(readFileSync(devLog, "utf8").split("\n").slice(-40).join("\n"));
  }
  rmSync(dataDir, { recursive: true, force: true });
}

log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(checks.summary());
process.exit(checks.failed === 0 && checks.passed === 3 ? 0 : 1);
