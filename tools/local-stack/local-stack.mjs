// The local stand-ins that dev, the tests and the bench share: a real PostgreSQL (embedded unless a
// URL is given), migrated, behind the local Neon HTTP endpoint.
import { databaseBindings } from "../bindings.mjs";
import { startEmbeddedPostgres } from "./embedded-postgres.mjs";
import { applyMigrations } from "./migrate.mjs";
import { startNeonHttpEndpoint } from "./neon-http-endpoint.mjs";

/**
 * `endpoint` options go to startNeonHttpEndpoint (the bench passes its round-trip counter and delay
 * there). Without an `endpoint.delayMs`, NEON_ENDPOINT_DELAY_MS from the environment sets it, so
 * `NEON_ENDPOINT_DELAY_MS=25 npm run dev` feels like a Worker 25 ms from its database.
 */
export async function startLocalStack({
  dataDir,
  databaseUrl,
  persistent = true,
  log = () => {},
  endpoint: endpointOptions = {},
}) {
  let db = null;
  let url = databaseUrl;
  if (!url) {
    const t0 = Date.now();
    db = await startEmbeddedPostgres({ dataDir, persistent, notice: log });
    url = db.url;
    log(
      `embedded Postgres ${db.initialised ? "initialised and " : ""}started on port ${db.port} (${Date.now() - t0} ms)`,
    );
  }
  await applyMigrations(url);
  const endpoint = await startNeonHttpEndpoint({ delayMs: delayFromEnv(), ...endpointOptions });
  log(
    `local Neon HTTP endpoint on ${endpoint.url}${endpoint.delayMs ? ` (+${endpoint.delayMs} ms per round trip)` : ""}`,
  );
  return {
    databaseUrl: url,
    endpointUrl: endpoint.url,
    vars: databaseBindings({ databaseUrl: url, endpointUrl: endpoint.url }),
    async stop() {
      await endpoint.close();
      if (db) await db.stop();
    },
  };
}

function delayFromEnv() {
  const raw = process.env.NEON_ENDPOINT_DELAY_MS;
  if (raw === undefined || raw === "") return 0;
  const ms = Number(raw);
  if (!(Number.isFinite(ms) && ms >= 0))
    throw new Error(`NEON_ENDPOINT_DELAY_MS must be a number of milliseconds ≥ 0, got "${raw}"`);
  return ms;
}
