// The local stand-ins that dev, the tests and the bench share: a real PostgreSQL (embedded unless a
// URL is given), migrated, behind the local Neon HTTP endpoint.
import { startEmbeddedPostgres } from "./embedded-postgres.mjs";
import { applyMigrations } from "./migrate.mjs";
import { startNeonHttpEndpoint } from "./neon-http-endpoint.mjs";

/** `endpoint` options go to startNeonHttpEndpoint (the bench passes its round-trip counter there). */
export async function startLocalStack({ dataDir, databaseUrl, persistent = true, log = () => {}, endpoint: endpointOptions = {} }) {
  let db = null;
  let url = databaseUrl;
  if (!url) {
    const t0 = Date.now();
    db = await startEmbeddedPostgres({ dataDir, persistent, notice: log });
    url = db.url;
    log(`embedded Postgres ${db.initialised ? "initialised and " : ""}started on port ${db.port} (${Date.now() - t0} ms)`);
  }
  await applyMigrations(url);
  const endpoint = await startNeonHttpEndpoint(endpointOptions);
  log(`local Neon HTTP endpoint on ${endpoint.url}`);
  return {
    databaseUrl: url,
    endpointUrl: endpoint.url,
    vars: { DATABASE_URL: url, NEON_HTTP_ENDPOINT: endpoint.url },
    async stop() {
      await endpoint.close();
      if (db) await db.stop();
    },
  };
}
