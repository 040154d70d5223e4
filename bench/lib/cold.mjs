// Cold requests (issue 25): what the first caller of an isolate waits. Each sample starts a fresh
// workerd (Miniflare, as the startup measure does) with the bundle and its bindings, waits until it is
// ready (its start, measured on its own in startup.mjs), then times the first request, and a second
// one in the same isolate (the part of the first that is the isolate's, not the request's). The
// service answers `POST /licenses/validate` for a real license, the db floor its `select 1`, both
// through the same local Neon endpoint and its delay; samples alternate service and floor.
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { log, ms } from "./settings.mjs";
import { loadMiniflare, median, ROUNDS, workerOptions } from "./startup.mjs";

/**
 * @param {{ serviceConfig: string; serviceVars: Record<string, string>; stack: { databaseUrl: string; endpointUrl: string } }} servers
 * @param {{ service: string; dbFloor: string }} bundles the service's and the db floor's bundles (wrangler deploy --dry-run)
 * @param {string} validateBody a validate request for a license the database has
 */
export async function measureCold(servers, bundles, validateBody, rounds = ROUNDS) {
  const miniflare = await loadMiniflare();
  // The service's bindings as wrangler dev gives them (queues, rate limiters), with the bench's vars.
  const { workerOptions: fromConfig } = unstable_getMiniflareWorkerOptions(servers.serviceConfig);
  const service = workerOptions(bundles.service, {
    bindings: { ...fromConfig.bindings, ...servers.serviceVars },
    queueProducers: fromConfig.queueProducers,
    ratelimits: fromConfig.ratelimits,
  });
  const dbFloor = workerOptions(bundles.dbFloor, {
    bindings: { DATABASE_URL: servers.stack.databaseUrl, NEON_HTTP_ENDPOINT: servers.stack.endpointUrl },
  });
  const request = { method: "POST", headers: { "content-type": "application/json" }, body: validateBody };
  const sample = async (options, path, expectStatus) => {
    const mf = miniflare(options);
    try {
      const url = new URL(path, await mf.ready);
      const once = async () => {
        const started = performance.now();
        const res = await mf.dispatchFetch(url, request);
        const text = await res.text();
        if (res.status !== expectStatus)
          throw new Error(`cold ${path}: expected ${expectStatus}, got ${res.status} ${text.slice(0, 300)}`);
        return performance.now() - started;
      };
      return { first: await once(), second: await once() };
    } finally {
      await mf.dispose();
    }
  };
  const samples = { service: [], floor: [] };
  for (let i = 0; i < rounds; i++) {
    samples.floor.push(await sample(dbFloor, "/", 200));
    samples.service.push(await sample(service, "/licenses/validate", 200));
  }
  const summary = (list) => ({
    firstMs: median(list.map((s) => s.first)),
    secondMs: median(list.map((s) => s.second)),
    samples: list.map((s) => Math.round(s.first * 10) / 10),
  });
  const result = { service: summary(samples.service), floor: summary(samples.floor), rounds };
  log(
    `    cold: first validate ${ms(result.service.firstMs)} ms (then ${ms(result.service.secondMs)}), first request of the db floor ${ms(result.floor.firstMs)} ms (then ${ms(result.floor.secondMs)}), median of ${rounds}`,
  );
  return result;
}
