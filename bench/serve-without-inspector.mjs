// The service as `wrangler dev` runs it, less the inspector: wrangler's own API (unstable_startWorker)
// with `dev.inspector: false`, so workerd's isolate has no DevTools session and log lines reach
// wrangler as structured logs instead of through the inspector relay. Started by bench/memory.mjs
// (--without-inspector) to tell the relay's resident memory from the isolate's.
// Usage: node bench/serve-without-inspector.mjs '<{"config","port","persist","envFile","vars"}>'
import { unstable_startWorker } from "wrangler";

const { config, port, persist, envFile, vars } = JSON.parse(process.argv[2]);
const worker = await unstable_startWorker({
  config,
  envFiles: [envFile],
  build: { bundle: false },
  bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }])),
  dev: { server: { hostname: "127.0.0.1", port }, inspector: false, persist, watch: false },
});
await worker.ready;
console.log(`ready on ${(await worker.url).href}`);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => worker.dispose().finally(() => process.exit(0)));
