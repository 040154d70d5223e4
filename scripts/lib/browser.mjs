// A real browser for the process-level checks: Debian's chromium driven by playwright-core, headless,
// every request beyond this machine aborted (and recorded), and what the page complains of collected:
// console errors, page errors and the CSP violations the page itself sees. CHROMIUM=/path overrides
// /usr/bin/chromium.
import { chromium } from "playwright-core";

const isLocal = (url) => ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname) || !/^https?:/.test(url);

/** @param {string} profile an empty folder for the browser's profile */
export async function launchOffline(profile) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const blocked = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    blocked.push(url);
    return route.abort("internetdisconnected");
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || /Content Security Policy|Refused to/i.test(m.text()))
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  // Init scripts run outside the page's CSP: record every violation the page itself sees.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return {
    context,
    page,
    blocked,
    problems,
    /** Every violation the current document saw (a navigation starts a new list). */
    cspViolations: () => page.evaluate(() => window.__cspViolations ?? []),
  };
}
