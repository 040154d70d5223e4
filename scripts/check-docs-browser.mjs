// node scripts/check-docs-browser.mjs — /docs works with no network: a real browser (Debian's
// chromium, driven by playwright-core) opens /docs of `npm run dev` with every non-local request
// aborted, and must see Swagger UI mounted and usable, with no CSP violation and no page error.
// CHROMIUM=/path overrides /usr/bin/chromium.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchOffline } from "./lib/browser.mjs";
import { check, createChecks } from "./lib/checks.mjs";
import { startDevForCheck } from "./lib/dev-server.mjs";

const started = Date.now();
const log = (msg) => console.log(`[browser] ${msg}`);
const stack = await startDevForCheck("docs-browser");
const { base } = stack;

const checks = createChecks(log);
const test = checks.test;

const profile = mkdtempSync(join(tmpdir(), "maximus-chromium-"));
let context;
let browser;
try {
  await stack.ready();
  browser = await launchOffline(profile);
  ({ context } = browser);
  const { page, blocked, problems } = browser;
  const operations = Object.values((await (await fetch(`${base}/openapi.json`)).json()).paths).reduce(
    (n, ops) => n + Object.keys(ops).length,
    0,
  );

  await test("/docs mounts Swagger UI with every operation, offline", async () => {
    const res = await page.goto(`${base}/docs`, { waitUntil: "load", timeout: 30_000 });
    check(res?.status() === 200, `/docs answered ${res?.status()}`);
    check((await res.headerValue("content-security-policy"))?.includes("script-src 'self'"), "no CSP on /docs");
    await page.waitForSelector("#swagger-ui .swagger-ui .opblock", { timeout: 30_000 });
    const rendered = await page.locator("#swagger-ui .opblock").count();
    check(rendered === operations, `Swagger UI shows ${rendered} operations, the document has ${operations}`);
    check((await page.locator("table tbody tr").count()) === operations, "the static operations table is gone");
  });

  await test("'Try it out' calls this server from the page (GET /health answers 200)", async () => {
    const op = page.locator("#operations-Service-getHealth");
    await op.locator(".opblock-summary").first().click();
    await op.locator("button.try-out__btn").click();
    await op.locator("button.execute").click();
    await op.locator(".live-responses-table tbody .response-col_status").first().waitFor({ timeout: 15_000 });
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() (the text as shown), not the DOM property
    const status = (await op.locator(".live-responses-table tbody .response-col_status").first().innerText()).trim();
    check(status === "200", `Try it out showed status ${status}`);
  });

  await test("no CSP violation, page error or request beyond this machine", async () => {
    const violations = await browser.cspViolations();
    check(violations.length === 0, `CSP violations: ${violations.join("; ")}`);
    check(problems.length === 0, problems.join("; "));
    check(blocked.length === 0, `the page tried to reach: ${blocked.join(", ")}`);
  });
} catch (err) {
  checks.fail("setup", err);
} finally {
  await context?.close().catch(() => {});
  await stack.stop();
  rmSync(profile, { recursive: true, force: true });
}

const { failed } = checks;
if (failed) log(`dev server output:\n${stack.tail()}`);
stack.remove();
log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(checks.summary("browser"));
process.exit(failed ? 1 : 0);
