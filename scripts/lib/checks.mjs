// The small runner the process-level checks share (dev server stop, /docs in a browser, the stripe:send
// e2e): each check is named, timed and logged; the summary is CI's `[label: ]N passed, N failed` line.

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

export function createChecks(log) {
  const results = [];
  const fail = (name, err) => {
    results.push(false);
    log(`FAIL ${name}: ${String(err?.message ?? err).split("\n")[0]}`);
  };
  return {
    async test(name, fn) {
      const t0 = Date.now();
      try {
        await fn();
        results.push(true);
        log(`ok   ${name} (${Date.now() - t0} ms)`);
      } catch (err) {
        fail(name, err);
      }
    },
    fail,
    get passed() {
      return results.filter(Boolean).length;
    },
    get failed() {
      return results.filter((ok) => !ok).length;
    },
    summary(label) {
      return `${label ? `${label}: ` : ""}${this.passed} passed, ${this.failed} failed`;
    },
  };
}
