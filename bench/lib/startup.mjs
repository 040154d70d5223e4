// The Worker's startup time: what Cloudflare reports as "Worker Startup Time" on a real deploy (the
// dry run does not), i.e. parsing and running the bundle's global scope. Measured here as the time a
// fresh workerd (Miniflare, the one wrangler itself uses) takes to be ready with a bundle, less the
// time it takes with an empty worker, median of ROUNDS rounds; each round starts every bundle once, in
// turn, so that whatever else the machine does weighs on all of them alike.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export const ROUNDS = 7;

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A `new Miniflare(options)` from wrangler's own dependency tree (the workerd wrangler dev runs),
 * taking the classic option shape: Miniflare 5 converts it itself.
 */
export async function loadMiniflare() {
  const wranglerRequire = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
  const { Miniflare, convertV4MiniflareOptions } = await import(
    pathToFileURL(wranglerRequire.resolve("miniflare")).href
  );
  return (options) => new Miniflare(convertV4MiniflareOptions ? convertV4MiniflareOptions(options) : options);
}

/** Miniflare options for a bundle as `wrangler deploy` built it (one ES module), with `extra` bindings and the like. */
export function workerOptions(scriptPath, extra = {}) {
  return {
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    // The worker's console lines (the service's access log) are written as in production, and dropped here.
    handleStructuredLogs: () => {},
    ...extra,
  };
}

/**
 * Startup of each named bundle, less the empty worker's, in the same rounds.
 * @param {{ tmp: string }} workspace @param {Record<string, string>} bundles name → file
 * @returns {Promise<Record<string, { ms: number; readyMs: number; samples: number[] }> & { emptyReadyMs: number; rounds: number }>}
 */
export async function measureStartup({ tmp }, bundles, rounds = ROUNDS) {
  const miniflare = await loadMiniflare();
  const empty = join(tmp, "empty-worker.mjs");
  writeFileSync(empty, 'export default { fetch() { return new Response("ok"); } };\n');
  const time = async (scriptPath) => {
    const started = performance.now();
    const mf = miniflare(workerOptions(scriptPath));
    await mf.ready;
    const ms = performance.now() - started;
    await mf.dispose();
    return ms;
  };
  const samples = { empty: [], ...Object.fromEntries(Object.keys(bundles).map((name) => [name, []])) };
  for (let i = 0; i < rounds; i++) {
    samples.empty.push(await time(empty));
    for (const [name, file] of Object.entries(bundles)) samples[name].push(await time(file));
  }
  const emptyReadyMs = median(samples.empty);
  const result = { emptyReadyMs, rounds };
  for (const name of Object.keys(bundles)) {
    const readyMs = median(samples[name]);
    result[name] = { ms: Math.max(0, readyMs - emptyReadyMs), readyMs, samples: samples[name] };
  }
  return result;
}
