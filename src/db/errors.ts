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

/** The database (or the HTTP endpoint in front of it) could not be reached: retry later. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = asPg(err);
  if (!e || e.name !== "NeonDbError") return false;
  if (e.code) return /^(08|53|57P)/.test(e.code); // connection, resources, shutdown
  return /Error connecting to database|Server error \(HTTP status 5/.test(e.message ?? "");
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = asPg(err);
  return !!e && e.code === "23505" && (!constraint || e.constraint === constraint);
}
