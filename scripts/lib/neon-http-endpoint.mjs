// A local stand-in for Neon's HTTP SQL endpoint, in front of a real PostgreSQL, so that local dev,
// tests and the bench run the very driver production uses (drizzle-orm/neon-http + neon()).
// Protocol, as @neondatabase/serverless 1.x speaks it: POST /sql with {query, params} or
// {queries: [...]} (a batch is one transaction); rows come back as text arrays; errors as 400 with
// the Postgres error fields.
import http from "node:http";
import pg from "pg";

const rawText = { getTypeParser: () => (value) => value };
const isolationLevels = {
  Serializable: "SERIALIZABLE",
  RepeatableRead: "REPEATABLE READ",
  ReadCommitted: "READ COMMITTED",
  ReadUncommitted: "READ UNCOMMITTED",
};
const errorFields = ["severity", "code", "detail", "hint", "position", "internalPosition", "internalQuery",
  "where", "schema", "table", "column", "dataType", "constraint", "file", "line", "routine"];

function toResult(res) {
  return {
    command: res.command,
    rowCount: res.rowCount,
    fields: res.fields.map((f) => ({
      name: f.name, tableID: f.tableID, columnID: f.columnID, dataTypeID: f.dataTypeID,
      dataTypeSize: f.dataTypeSize, dataTypeModifier: f.dataTypeModifier, format: "text",
    })),
    rows: res.rows,
    rowAsArray: true,
  };
}

function run(client, { query, params }) {
  return client.query({ text: query, values: params ?? [], rowMode: "array", types: rawText });
}

function beginStatement(headers) {
  const parts = ["BEGIN"];
  const level = isolationLevels[headers["neon-batch-isolation-level"]];
  if (level) parts.push(`ISOLATION LEVEL ${level}`);
  if (headers["neon-batch-read-only"] === "true") parts.push("READ ONLY");
  if (headers["neon-batch-deferrable"] === "true") parts.push("DEFERRABLE");
  return parts.join(" ");
}

async function execute(pool, body, headers) {
  const client = await pool.connect();
  let broken = false;
  try {
    if (!Array.isArray(body.queries)) return toResult(await run(client, body));
    await client.query(beginStatement(headers));
    try {
      const results = [];
      for (const q of body.queries) results.push(toResult(await run(client, q)));
      await client.query("COMMIT");
      return { results };
    } catch (err) {
      await client.query("ROLLBACK").catch(() => { broken = true; });
      throw err;
    }
  } catch (err) {
    if (!err.code) broken = true;
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Starts the endpoint. Each distinct `Neon-Connection-String` gets its own small pool, so the
 * Worker's DATABASE_URL decides which database is used, as with Neon. `onRequest` (opt-in, used by
 * the bench to count round trips) is told `{ statements, batch, status, ms }` after each answer.
 */
export async function startNeonHttpEndpoint({ port = 0, host = "127.0.0.1", poolSize = 10, onRequest } = {}) {
  const pools = new Map();
  const poolFor = (connectionString) => {
    let pool = pools.get(connectionString);
    if (!pool) {
      const url = new URL(connectionString);
      url.searchParams.delete("sslmode");
      url.searchParams.delete("channel_binding");
      pool = new pg.Pool({ connectionString: url.toString(), max: poolSize, connectionTimeoutMillis: 3000,
        options: "-c TimeZone=UTC -c DateStyle=ISO" }); // Neon's session defaults
      pool.on("error", () => {}); // an idle client dying (server restart) must not crash the endpoint
      pools.set(connectionString, pool);
    }
    return pool;
  };

  const server = http.createServer(async (req, res) => {
    const started = onRequest ? performance.now() : 0;
    let statements = 0;
    let batch = false;
    const send = (status, payload) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
      onRequest?.({ statements, batch, status, ms: performance.now() - started });
    };
    if (req.method !== "POST" || !req.url?.startsWith("/sql")) return send(404, { message: "not found" });
    const connectionString = req.headers["neon-connection-string"];
    if (typeof connectionString !== "string") return send(400, { message: "missing Neon-Connection-String" });
    let body;
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(400, { message: "request body is not JSON" });
    }
    batch = Array.isArray(body.queries);
    statements = batch ? body.queries.length : 1;
    try {
      send(200, await execute(poolFor(connectionString), body, req.headers));
    } catch (err) {
      if (err && typeof err.code === "string" && /^[0-9A-Z]{5}$/.test(err.code)) {
        const payload = { message: err.message };
        for (const field of errorFields) if (err[field] !== undefined) payload[field] = err[field];
        return send(400, payload);
      }
      // Not a Postgres error: the database could not be reached. Neon answers 5xx here too.
      send(503, { message: `database unreachable: ${err?.code ?? err?.message ?? "unknown"}` });
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}/sql`,
    port: address.port,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections?.();
      await Promise.all([...pools.values()].map((p) => p.end().catch(() => {})));
    },
  };
}
