// npm run test:e2e — the README's "try it" path, end to end and in Node (it drives processes, so it
// cannot run inside workerd): starts `npm run dev` on a free port with its own data folder (so a
// developer's running dev server is left alone), then `npm run stripe:send -- purchase`, `dispute`,
// `dispute-won` and `refund`, and checks that the printed key is valid, suspended, valid again, revoked.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { requestJson } from "../tools/http/json-request.mjs";
import { check, createChecks } from "./lib/checks.mjs";
import { startDevForCheck } from "./lib/dev-server.mjs";

const run = promisify(execFile);
const started = Date.now();
const log = (msg) => console.log(`[e2e] ${msg}`);
// Its own process group and data folder, so a developer's running dev server is left alone.
const stack = await startDevForCheck("e2e");
const { base, port, env } = stack;

const stripeSend = async (...args) =>
  (await run("npm", ["run", "-s", "stripe:send", "--", ...args, "--port", String(port)], { env, timeout: 60_000 }))
    .stdout;

const validate = async (key) => (await requestJson(base, "POST", "/licenses/validate", { body: { key } })).json;

const checks = createChecks(log);
const test = checks.test;

let key = null;
try {
  await stack.ready(45_000);
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
  await stack.stop();
  if (checks.failed) {
    log("npm run dev output (last 40 lines):");
    console.log(stack.tail(40));
  }
  stack.remove();
}

log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(checks.summary());
process.exit(checks.failed === 0 && checks.passed === 3 ? 0 : 1);
