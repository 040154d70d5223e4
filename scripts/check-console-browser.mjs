// node scripts/check-console-browser.mjs — the support console as support uses it: a real browser
// (scripts/lib/browser.mjs: Debian's chromium, nothing beyond this machine) against `npm run dev`,
// signing in through the local Access stand-in, searching by email, opening the license, revoking it
// with a reason, seeing the standing and the audit row under the signed-in email, and replaying a
// failed event from Attention. A screenshot of each page goes to $CONSOLE_SCREENSHOTS (default: a
// temporary folder, printed). Then the same door from outside, with fetch: no token, another
// application's token, a form from another site, and a named key's actor in GET /admin/audit.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signedEvent } from "../tools/stripe/sign.mjs";
import { checkoutSession, event, newPurchase } from "../tools/stripe/stripe-objects.mjs";
import { launchOffline } from "./lib/browser.mjs";
import { check, createChecks } from "./lib/checks.mjs";
import { startDevForCheck } from "./lib/dev-server.mjs";
import { devClientSecrets } from "./lib/dev-vars.mjs";

const started = Date.now();
const log = (msg) => console.log(`[console] ${msg}`);
const checks = createChecks(log);
const test = checks.test;
const shots = process.env.CONSOLE_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "maximus-console-shots-"));
mkdirSync(shots, { recursive: true });

const { internalKey, internalKeyName, webhookSecret } = devClientSecrets();
const AGENT = "agent@maximus.test";

const stack = await startDevForCheck("console-browser");
const { base } = stack;
const admin = (path, init = {}) =>
  fetch(`${base}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${internalKey}`, "content-type": "application/json", ...init.headers },
  });

/** The sign-in link `npm run dev` prints for the console (its Access stand-in's own port). */
async function signInLink() {
  for (let i = 0; i < 100; i++) {
    const m = /support console: sign in at (\S+)/.exec(stack.output());
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("npm run dev printed no console sign-in link");
}

/** A checkout with no buyer email anywhere: the consumer records it as failed (invalid_event). */
async function sendFailingEvent() {
  const p = newPurchase({}, "console");
  const evt = event("checkout.session.completed", checkoutSession(p, { customer_details: null, customer_email: null }));
  const signed = await signedEvent(evt, webhookSecret);
  const res = await fetch(`${base}/subscriptions/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "Stripe-Signature": signed.signature },
    body: signed.payload,
  });
  check(res.ok, `the webhook answered ${res.status}`);
  for (let i = 0; i < 100; i++) {
    const list = await (await admin("/admin/events?status=failed")).json();
    if (list.events?.some((e) => e.id === evt.id)) return evt.id;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`event ${evt.id} was not recorded as failed`);
}

const profile = mkdtempSync(join(tmpdir(), "maximus-chromium-"));
let browser;
try {
  await stack.ready();
  const email = `buyer-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const issued = await admin("/licenses/generate", {
    method: "POST",
    body: JSON.stringify({
      email,
      product: "simpl-resultat",
      tier: "base",
      duration_days: 30,
      reason: "browser check",
    }),
  });
  check(issued.status === 201, `POST /licenses/generate answered ${issued.status}`);
  const licenseId = (await issued.json()).id;

  const failedEventId = await sendFailingEvent();
  const link = await signInLink();

  browser = await launchOffline(profile);
  const { page, blocked, problems } = browser;
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText() (the text as shown), not the DOM property
  const text = (selector) => page.locator(selector).innerText();
  /** Every form control on the current page has its label. */
  const accessible = async () => {
    const unlabelled = await page.evaluate(
      () =>
        [...document.querySelectorAll("input:not([type=hidden]), select")].filter((el) => el.labels?.length === 0)
          .length,
    );
    check(unlabelled === 0, `${unlabelled} form controls without a label on ${page.url()}`);
  };

  await test("without signing in, the console answers 401 with a page", async () => {
    const res = await page.goto(`${base}/console`);
    check(res?.status() === 401, `GET /console answered ${res?.status()}`);
    await shot("0-not-signed-in");
  });

  await test("sign in through the Access stand-in: the console names the person", async () => {
    await page.goto(link);
    await page.fill("#email", AGENT);
    await Promise.all([page.waitForURL(`${base}/console`), page.click("button[type=submit]")]);
    check((await text("[data-testid=actor]")) === AGENT, "the footer does not name the signed-in email");
    await shot("1-search");
  });

  await test("by keyboard alone: the skip link, then the search box; every control has a label", async () => {
    await page.keyboard.press("Tab");
    check(
      (await page.evaluate(() => document.activeElement?.className)) === "skip",
      "Tab does not reach the skip link",
    );
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    check(
      (await page.evaluate(() => document.activeElement?.id)) === "q",
      "after the skip link, Tab is not on the search box",
    );
    const unlabelled = await page.evaluate(
      () =>
        [...document.querySelectorAll("input:not([type=hidden]), select")].filter((el) => el.labels?.length === 0)
          .length,
    );
    check(unlabelled === 0, `${unlabelled} form controls without a label`);
    const landmarks = await page.evaluate(() =>
      ["header", "nav", "main", "footer"].every((t) => document.querySelector(t)),
    );
    check(landmarks, "a landmark (header, nav, main, footer) is missing");
  });

  await test("search by email finds the license; it opens on its page", async () => {
    await page.fill("#q", email);
    await Promise.all([page.waitForURL(/\/console\?q=/), page.click("search button[type=submit]")]);
    await shot("2-results");
    await Promise.all([
      page.waitForURL(`${base}/console/licenses/${licenseId}`),
      page.click(`a[href$="${licenseId}"]`),
    ]);
    check((await text("[data-testid=standing]")) === "active", "the license is not shown active");
    await accessible();
    await shot("3-license");
  });

  await test("revoke with a reason: the page shows it revoked, and the audit row under the signed-in email", async () => {
    await page.fill("#revoke", "refund by phone");
    await Promise.all([page.waitForURL(`${base}/console/licenses/${licenseId}`), page.click("#revoke ~ button")]);
    check((await text("[data-testid=standing]")) === "revoked", "the license is not shown revoked");
    const audit = await text("#audit ~ table, section:has(#audit) table");
    check(audit.includes(AGENT) && audit.includes("revoke") && audit.includes("refund by phone"), `audit: ${audit}`);
    await shot("4-revoked");
  });

  await test("Attention lists the failed event; replaying it lands on its audit trail with the entry", async () => {
    await page.click('nav a[href="/console/attention"]');
    await page.waitForURL(`${base}/console/attention`);
    check((await page.content()).includes(failedEventId), "the failed event is not listed");
    await accessible();
    await shot("5-attention");
    const row = page.locator("tr", { hasText: failedEventId });
    await row.locator("input[name=reason]").fill("fixed the mapping");
    await Promise.all([page.waitForURL(/\/console\/audit\?target=/), row.locator("button").click()]);
    const entries = await text("table");
    check(entries.includes("replay-event") && entries.includes(AGENT), `audit: ${entries}`);
    await shot("6-audit");
  });

  await test("the events page filters by status", async () => {
    await page.goto(`${base}/console/events`);
    await page.selectOption("#status", "processed");
    await Promise.all([page.waitForURL(/status=processed/), page.click("form.filters button")]);
    await accessible();
    await shot("7-events");
  });

  await test("in French when the browser asks for it", async () => {
    await page.setExtraHTTPHeaders({ "Accept-Language": "fr-CA,fr;q=0.9" });
    await page.goto(`${base}/console/licenses/${licenseId}`);
    check((await page.getAttribute("html", "lang")) === "fr", "not French");
    check((await text("main")).includes("Rétablir"), "no French action");
    await shot("8-license-fr");
    await page.setExtraHTTPHeaders({});
  });

  await test("no CSP violation, page error or request beyond this machine", async () => {
    const violations = await browser.cspViolations();
    check(violations.length === 0, `CSP violations: ${violations.join("; ")}`);
    check(problems.filter((p) => !p.includes("401")).length === 0, problems.join("; "));
    check(blocked.length === 0, `the page tried to reach: ${blocked.join(", ")}`);
  });

  // From outside: what curl or another site can do.
  const accessBase = new URL(link).origin;
  const token = async (query = "") => (await fetch(`${accessBase}/cdn-cgi/access/token?${query}`)).text();
  await test("from outside: no token 401, another application's token 403, problem+json both", async () => {
    const none = await fetch(`${base}/console`);
    check(none.status === 401 && (await none.json()).code === "unauthorized", `no token: ${none.status}`);
    const other = await fetch(`${base}/console`, {
      headers: { "Cf-Access-Jwt-Assertion": await token("aud=other-app") },
    });
    check(other.status === 403 && (await other.json()).code === "forbidden", `other aud: ${other.status}`);
  });

  await test("from outside: a form posted from another site is 403 and changes nothing", async () => {
    const before = await (await admin(`/admin/audit?target=${licenseId}`)).json();
    const res = await fetch(`${base}/console/licenses/${licenseId}/reinstate`, {
      method: "POST",
      redirect: "manual",
      headers: {
        Cookie: `CF_Authorization=${await token(`email=${AGENT}`)}`,
        Origin: "https://evil.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "reason=csrf",
    });
    check(res.status === 403, `cross-origin POST answered ${res.status}`);
    const after = await (await admin(`/admin/audit?target=${licenseId}`)).json();
    check(after.entries.length === before.entries.length, "an audit entry was written");
    const { licenses } = await (await admin(`/admin/licenses?email=${encodeURIComponent(email)}`)).json();
    const standing = licenses.find((l) => l.id === licenseId)?.status;
    check(standing === "revoked", `the license is now ${standing}`);
  });

  await test("GET /admin/audit names a named key's actor and the console's email", async () => {
    const key = internalKeyName;
    const res = await admin(`/licenses/generate`, {
      method: "POST",
      body: JSON.stringify({ email, product: "simpl-resultat", tier: "base", duration_days: 1, reason: "named" }),
    });
    const id = (await res.json()).id;
    const byKey = (await (await admin(`/admin/audit?target=${id}`)).json()).entries;
    check(byKey[0]?.actor === key, `the entry's actor is ${byKey[0]?.actor}, not ${key}`);
    const byConsole = (await (await admin(`/admin/audit?target=${licenseId}`)).json()).entries;
    check(
      byConsole.some((e) => e.actor === AGENT && e.action === "revoke"),
      "the console's revoke is not in GET /admin/audit",
    );
  });
} catch (err) {
  checks.fail("setup", err);
} finally {
  await browser?.context.close().catch(() => {});
  await stack.stop();
  rmSync(profile, { recursive: true, force: true });
}

if (checks.failed) log(`dev server output:\n${stack.tail()}`);
stack.remove();
log(`screenshots in ${shots}`);
log(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(checks.summary("console"));
process.exit(checks.failed ? 1 : 0);
