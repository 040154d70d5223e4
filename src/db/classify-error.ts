import { DrizzleQueryError } from "drizzle-orm/errors";

/** A Postgres error as the Neon driver surfaces it (SQLSTATE `code`, `constraint`, ...). */
interface PgLikeError {
  name?: string;
  code?: string;
  constraint?: string;
  message?: string;
}

/** Drizzle wraps driver errors in a DrizzleQueryError whose `cause` is the driver's error. */
function asPg(err: unknown): PgLikeError | null {
  if (!err || typeof err !== "object") return null;
  return err instanceof DrizzleQueryError && err.cause ? asPg(err.cause) : (err as PgLikeError);
}

// How Neon's proxy (github.com/neondatabase/neon proxy/src/serverless/sql_over_http.rs) reports a
// lost or unreachable database, as @neondatabase/serverless 1.2 surfaces it: a 400 becomes a
// NeonDbError carrying the body's `code` ("" when it is not Postgres's own error); any other status
// becomes "Server error (HTTP status N): <body>"; a failed fetch "Error connecting to database: …".
const TRANSIENT_SQLSTATE = /^(08|53|57P)/; // connection exception, insufficient resources, shutdown
// tokio-postgres2 error/mod.rs Kind::Closed / Kind::Io, and sql_over_http.rs's cancelled query.
const CONNECTION_LOST = /^(connection closed|error communicating with the server|Query cancelled)/;
// 5xx other than 507 (response too large: the same query fails the same way every time) and the
// few that mean "never"; 429 is Neon's rate limiter.
const PERMANENT_5XX: ReadonlySet<number> = new Set([501, 505, 507, 508, 510, 511]);

function transientStatus(message: string): boolean {
  const m = /^Server error \(HTTP status (\d{3})\)/.exec(message);
  if (!m) return false;
  const status = Number(m[1]);
  return status === 429 || (status >= 500 && !PERMANENT_5XX.has(status));
}

/** The database (or Neon's proxy in front of it) could not be reached or dropped us: retry later. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = asPg(err);
  if (e?.name !== "NeonDbError") return false;
  if (e.code) return TRANSIENT_SQLSTATE.test(e.code);
  const message = e.message ?? "";
  return (
    CONNECTION_LOST.test(message) || message.startsWith("Error connecting to database") || transientStatus(message)
  );
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = asPg(err);
  return !!e && e.code === "23505" && (!constraint || e.constraint === constraint);
}
