// A local stand-in for Neon's HTTP SQL endpoint, in front of a real PostgreSQL, so that local dev,
// tests and the bench run the very driver production uses (drizzle-orm/neon-http + neon()).
// Protocol, as @neondatabase/serverless 1.x speaks it: POST /sql with {query, params} or
// {queries: [...]} (a batch is one transaction); rows come back as text arrays.
// Each rule below cites the file of Neon's proxy (github.com/neondatabase/neon, proxy/src/...) it
// copies; test/integration/neon-endpoint.test.ts pins every one of them through neon().
import http from "node:http";
import pg from "pg";

const rawText = { getTypeParser: () => (value) => value };

// proxy/src/binary/proxy.rs: sql_over_http_max_request_size_bytes / _max_response_size_bytes, 10 MiB each.
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

// serverless/sql_over_http.rs map_header_to_isolation_level: these four, anything else is a 400.
const isolationLevels = {
  Serializable: "SERIALIZABLE",
  RepeatableRead: "REPEATABLE READ",
  ReadCommitted: "READ COMMITTED",
  ReadUncommitted: "READ UNCOMMITTED",
};

// libs/proxy/tokio-postgres2/src/client.rs reset_session_background, run by
// serverless/conn_pool_lib.rs before a connection goes back to the pool.
const RESET_SESSION = `ROLLBACK; CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DEALLOCATE ALL;
  UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES;`;

/** An error the proxy itself raises (not Postgres): `code` is "" (sql_over_http.rs `handle`). */
class ProxyError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * serverless/sql_over_http.rs `handle`: every error body has all these keys, in this order, after
 * `message`. Absent ones are null, except `code` and `severity`, which are &str in the proxy and so
 * "" (Rust's Default for &str) for non-Postgres errors.
 */
const ERROR_FIELDS = [
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "severity",
  "where",
  "table",
  "column",
  "schema",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
];
const EMPTY_STRING_FIELDS = new Set(["code", "severity"]);

function errorBody(message, db) {
  const body = { message };
  for (const field of ERROR_FIELDS) {
    const value = db?.[field];
    const absent = EMPTY_STRING_FIELDS.has(field) ? "" : null;
    body[field] = value === undefined || value === null ? absent : String(value);
  }
  return body;
}

const isPostgresError = (err) => err && typeof err.code === "string" && /^[0-9A-Z]{5}$/.test(err.code);

/**
 * A failure that is not a Postgres error, mapped to tokio-postgres2's Display (error/mod.rs):
 * `Kind::Closed` → "connection closed", `Kind::Io` → "error communicating with the server: …".
 * sql_over_http.rs sends either as SqlOverHttpError::Postgres: 400, code "".
 */
function connectionLost(err) {
  const text = String(err?.message ?? err);
  if (/terminated|closed|ended/i.test(text)) return new ProxyError(400, "connection closed");
  return new ProxyError(400, `error communicating with the server: ${text}`);
}

/**
 * serde_json (serverless/sql_over_http.rs `serde_json::from_slice`) refuses invalid UTF-8 and a lone
 * UTF-16 surrogate in a \u escape, which JSON.parse accepts. Returns serde's message, or null.
 */
function serdeStrictnessError(bytes) {
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "invalid unicode code point at line 1 column 1";
  }
  const escapes = /\\(u[0-9a-fA-F]{4}|[^u])/g;
  for (let m = escapes.exec(text); m; m = escapes.exec(text)) {
    if (m[1][0] !== "u") continue;
    const unit = parseInt(m[1].slice(1), 16);
    const after = m.index + m[0].length;
    const column = (i) => i - text.lastIndexOf("\n", i - 1);
    if (unit >= 0xdc00 && unit <= 0xdfff)
      return `lone leading surrogate in hex escape at line 1 column ${column(after)}`;
    if (unit < 0xd800 || unit > 0xdbff) continue;
    const next = /^\\u([0-9a-fA-F]{4})/.exec(text.slice(after));
    if (!next) return `unexpected end of hex escape at line 1 column ${column(after + 1)}`;
    const low = parseInt(next[1], 16);
    if (low < 0xdc00 || low > 0xdfff)
      return `lone leading surrogate in hex escape at line 1 column ${column(after + 6)}`;
    escapes.lastIndex = after + 6;
  }
  return null;
}

/** serverless/sql_over_http.rs handle_db_inner: read up to the limit, then parse as serde_json does. */
async function readPayload(req) {
  const declared = Number(req.headers["content-length"]);
  // serverless/error.rs ReadPayloadError::BodyTooLarge → 413.
  const tooLarge = () => new ProxyError(413, `request is too large (max is ${MAX_REQUEST_BYTES} bytes)`);
  if (declared > MAX_REQUEST_BYTES) throw tooLarge();
  const chunks = [];
  let length = 0;
  for await (const chunk of req) {
    length += chunk.length;
    if (length > MAX_REQUEST_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  // serverless/error.rs ReadPayloadError::Parse → 400 "could not parse the HTTP request body: …".
  const parseError = (detail) => new ProxyError(400, `could not parse the HTTP request body: ${detail}`);
  const strict = serdeStrictnessError(bytes);
  if (strict) throw parseError(strict);
  let body;
  try {
    body = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw parseError(err.message);
  }
  const isQuery = (q) => q && typeof q === "object" && typeof q.query === "string";
  // `enum Payload { Single(QueryData), Batch(BatchQueryData) }`, #[serde(untagged)].
  if (!isQuery(body) && !(body && Array.isArray(body.queries) && body.queries.every(isQuery))) {
    throw parseError("data did not match any variant of untagged enum Payload");
  }
  return body;
}

/** serverless/sql_over_http.rs HttpHeaders::try_parse: an unknown isolation level is a 400. */
function beginStatement(headers) {
  const parts = ["BEGIN"];
  const header = headers["neon-batch-isolation-level"];
  if (header !== undefined) {
    const level = isolationLevels[header];
    if (!level) throw new ProxyError(400, "invalid isolation level");
    parts.push(`ISOLATION LEVEL ${level}`);
  }
  if (headers["neon-batch-read-only"] === "true") parts.push("READ ONLY");
  if (headers["neon-batch-deferrable"] === "true") parts.push("DEFERRABLE");
  return parts.join(" ");
}

/**
 * sql_over_http.rs query_to_json runs `query_raw_txt`: the extended protocol, so several statements
 * in one query are a 42601 from Postgres and none of them runs. Rows as text; the response-size
 * check (507) is made before each row is added, as there.
 */
async function runOne(client, { query, params }, budget) {
  const res = await client.query({
    text: query,
    values: params ?? [],
    rowMode: "array",
    types: rawText,
    queryMode: "extended",
  });
  const rows = [];
  for (const row of res.rows) {
    if (budget.used > MAX_RESPONSE_BYTES) {
      throw new ProxyError(507, `response is too large (max is ${MAX_RESPONSE_BYTES} bytes)`);
    }
    budget.used += JSON.stringify(row).length + 1;
    rows.push(row);
  }
  return {
    command: res.command,
    rowCount: res.rowCount,
    fields: res.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      tableID: f.tableID,
      columnID: f.columnID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
      format: "text",
    })),
    rows,
    rowAsArray: true,
  };
}

/**
 * serverless/conn_pool_lib.rs: a connection goes back to the pool only after its session is reset;
 * one that failed a single query (sql_over_http.rs QueryData::process `discard`) or could not be
 * reset is thrown away.
 */
async function giveBack(client, discard) {
  if (discard) return client.release(true);
  // Neon resets in the background; here the answer waits for it, so a test's next query is never
  // raced by the reset.
  await client.query(RESET_SESSION).then(
    () => client.release(),
    () => client.release(true),
  );
}

const guarded = new WeakSet();

async function execute(pool, body, headers, { dropConnection = false } = {}) {
  const begin = Array.isArray(body.queries) ? beginStatement(headers) : null;
  let client;
  try {
    client = await pool.connect();
  } catch (err) {
    // sql_over_http.rs: ConnectCompute errors that are not the user's → 500 (backend.rs messages).
    throw new ProxyError(500, `could not connect to postgres in compute: ${err?.code ?? err?.message ?? "unknown"}`);
  }
  // A checked-out client whose socket dies emits "error"; without a listener that would crash us.
  if (!guarded.has(client)) {
    guarded.add(client);
    client.on("error", () => {});
  }
  let discard = false;
  const budget = { used: 0 };
  // The fault switch's "drop-connection": the backend's socket dies while the query is in flight.
  if (dropConnection) setImmediate(() => client.connection.stream.destroy());
  try {
    if (!begin) return await runOne(client, body, budget);
    await client.query(begin);
    try {
      const results = [];
      for (const q of body.queries) results.push(await runOne(client, q, budget));
      await client.query("COMMIT");
      return { results };
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {
        discard = true;
      });
      throw err;
    }
  } catch (err) {
    if (!begin || !isPostgresError(err)) discard = true;
    throw isPostgresError(err) || err instanceof ProxyError ? err : connectionLost(err);
  } finally {
    await giveBack(client, discard);
  }
}

/**
 * Starts the endpoint. Each distinct `Neon-Connection-String` gets its own small pool, so the
 * Worker's DATABASE_URL decides which database is used, as with Neon. `onRequest` (opt-in, used by
 * the bench to count round trips) is told `{ statements, batch, status, ms }` after each answer (`ms`:
the endpoint's own time, without the delay). `delayMs` (default 0) holds every SQL answer back that
long, once per HTTP request (a batch is one request): the round trip of a Worker far from its
database region. A timer, not a lock: other requests run meanwhile.
 *
 * Fault switch (dev and tests only): `PUT /faults/<scope>` with `{"status":400,"body":{...}}` makes
 * every SQL request whose connection string carries `neon_fault=<scope>` (or every request, for scope
 * `*`) answer that instead of running; `{"action":"drop-connection"}` instead runs the query and cuts
 * the backend connection under it. `DELETE /faults/<scope>` ends the fault.
 */
export async function startNeonHttpEndpoint({
  port = 0,
  host = "127.0.0.1",
  poolSize = 10,
  onRequest,
  delayMs = 0,
} = {}) {
  if (!(Number.isFinite(delayMs) && delayMs >= 0)) throw new Error(`delayMs must be a number ≥ 0, got ${delayMs}`);
  const pools = new Map();
  const faults = new Map();
  const poolFor = (connectionString) => {
    let pool = pools.get(connectionString);
    if (!pool) {
      const url = new URL(connectionString);
      url.searchParams.delete("sslmode");
      url.searchParams.delete("channel_binding");
      url.searchParams.delete("neon_fault");
      pool = new pg.Pool({
        connectionString: url.toString(),
        max: poolSize,
        connectionTimeoutMillis: 3000,
        options: "-c TimeZone=UTC -c DateStyle=ISO",
      }); // Neon's session defaults
      pool.on("error", () => {}); // an idle client dying (server restart) must not crash the endpoint
      pools.set(connectionString, pool);
    }
    return pool;
  };
  const faultFor = (connectionString) => {
    if (faults.has("*")) return faults.get("*");
    const scope = URL.canParse(connectionString) ? new URL(connectionString).searchParams.get("neon_fault") : null;
    return scope ? faults.get(scope) : undefined;
  };

  const server = http.createServer(async (req, res) => {
    const started = onRequest ? performance.now() : 0;
    let statements = 0;
    let batch = false;
    const answer = (status, payload) => {
      // sql_over_http.rs `handle` adds this header to every answer.
      res.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
      res.end(JSON.stringify(payload));
    };
    // SQL answers only (the fault switch is a control of this endpoint, not a round trip to Neon).
    const send = async (status, payload) => {
      const ms = performance.now() - started;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      answer(status, payload);
      onRequest?.({ statements, batch, status, ms });
    };
    const faultPath = /^\/faults\/([\w*-]+)$/.exec(req.url ?? "");
    if (faultPath && req.method === "PUT") {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      faults.set(faultPath[1], JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      return answer(200, { fault: faultPath[1], on: true });
    }
    if (faultPath && req.method === "DELETE") {
      faults.delete(faultPath[1]);
      return answer(200, { fault: faultPath[1], on: false });
    }
    if (req.method !== "POST" || !req.url?.startsWith("/sql")) return send(404, { message: "not found" });
    const connectionString = req.headers["neon-connection-string"];
    if (typeof connectionString !== "string") return send(400, errorBody("missing Neon-Connection-String"));
    const fault = faultFor(connectionString);
    if (fault && fault.action !== "drop-connection") {
      for await (const _ of req); // drain
      return send(fault.status ?? 400, { ...errorBody("connection closed"), ...fault.body });
    }
    try {
      const body = await readPayload(req);
      batch = Array.isArray(body.queries);
      statements = batch ? body.queries.length : 1;
      send(200, await execute(poolFor(connectionString), body, req.headers, { dropConnection: !!fault }));
    } catch (err) {
      if (err instanceof ProxyError) return send(err.status, errorBody(err.message));
      if (isPostgresError(err)) return send(400, errorBody(err.message, err)); // SqlOverHttpError::Postgres
      send(500, errorBody(`could not parse postgres response: ${err?.message ?? "unknown"}`));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}/sql`,
    delayMs,
    port: address.port,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections?.();
      await Promise.all([...pools.values()].map((p) => p.end().catch(() => {})));
    },
  };
}
