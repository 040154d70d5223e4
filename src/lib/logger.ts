/** One JSON line per record. Callers pass ids and outcomes, never tokens, keys or payloads. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export function createLogger(base: LogFields = {}): Logger {
  const write = (level: "info" | "warn" | "error", msg: string, fields?: LogFields) => {
    const line = JSON.stringify({ level, msg, ...base, ...fields });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

/**
 * The message of an error, never its other fields: Stripe's errors carry the signed payload and
 * header, and Drizzle's query errors carry the query's parameters (keys, emails), so those give
 * way to their cause.
 */
export function errorMessage(err: unknown): string {
  // Drizzle's DrizzleQueryError (duck-typed: lib/ imports no driver) holds `query` and `params`.
  if (err instanceof Error && "query" in err && "params" in err) {
    return err.cause ? errorMessage(err.cause) : "DrizzleQueryError";
  }
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Stack frames only: the first line repeats the message, which for some errors holds data. */
export function errorFrames(err: unknown): string | undefined {
  return err instanceof Error && err.stack ? err.stack.split("\n").slice(1, 12).join("\n") : undefined;
}
