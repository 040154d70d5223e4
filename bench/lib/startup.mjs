// The Worker's startup time: what Cloudflare reports as "Worker Startup Time" on a real deploy (the
// dry run does not), i.e. parsing and running the bundle's global scope. Measured here as the time a
// fresh workerd (Miniflare, the one wrangler itself uses) takes to be ready with the bundle, less the
// time it takes with an empty worker, median of alternating rounds.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const ROUNDS = 5;

/** @param {{ tmp: string }} workspace @param {{ file: string }} bundle */
export async function measureStartup({ tmp }, bundle) {
  const wranglerRequire = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
  const { Miniflare, convertV4MiniflareOptions } = await import(
    pathToFileURL(wranglerRequire.resolve("miniflare")).href
  );
  const empty = join(tmp, "empty-worker.mjs");
  writeFileSync(empty, 'export default { fetch() { return new Response("ok"); } };\n');
  const time = async (scriptPath) => {
    const started = performance.now();
    // Miniflare 5 takes a new options shape; it converts the classic one itself.
    const options = {
      modules: true,
      scriptPath,
      modulesRoot: dirname(scriptPath),
      compatibilityDate: "2026-11-01",
      compatibilityFlags: ["nodejs_compat"],
    };
    const mf = new Miniflare(convertV4MiniflareOptions ? convertV4MiniflareOptions(options) : options);
    await mf.ready;
    const ms = performance.now() - started;
    await mf.dispose();
    return ms;
  };
  const withBundle = [];
  const withEmpty = [];
  for (let i = 0; i < ROUNDS; i++) {
    withEmpty.push(await time(empty));
    withBundle.push(await time(bundle.file));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    ms: Math.max(0, median(withBundle) - median(withEmpty)),
    readyMs: median(withBundle),
    emptyReadyMs: median(withEmpty),
    rounds: ROUNDS,
  };
}
