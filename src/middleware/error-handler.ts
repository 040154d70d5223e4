import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ConfigError } from "../config";
import type { AppEnv } from "../env";
import { AppError, problemResponse, type ErrorCode } from "../errors";
import { createLogger, errorFrames, errorMessage } from "../lib/logger";
import { isDatabaseUnavailable } from "../db/errors";

const codeForStatus: Partial<Record<number, ErrorCode>> = {
  400: "malformed_json",
  401: "unauthorized",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "validation_failed",
  429: "rate_limited",
  503: "unavailable",
};

/** Three tiers: our AppError as is; Hono's HTTPException by status; anything else a generic 500. */
export const onError: ErrorHandler<AppEnv> = (err, c: Context<AppEnv>) => {
  if (err instanceof AppError) {
    return problemResponse(err.code, err.message, { extra: err.extra, headers: err.headers });
  }
  const log = createLogger({ requestId: c.get("requestId") });
  if (err instanceof HTTPException) {
    const code = codeForStatus[err.status] ?? (err.status >= 500 ? "internal_error" : "malformed_json");
    return problemResponse(code);
  }
  if (isDatabaseUnavailable(err)) {
    log.error("database unavailable", { error: errorMessage(err) });
    return problemResponse("unavailable", "The service is temporarily unavailable. Please retry.", {
      headers: { "Retry-After": "5" },
    });
  }
  if (err instanceof ConfigError) {
    // Names the variables, never their values.
    log.error("configuration error", { variables: err.variables.join(", ") });
    return problemResponse("misconfigured", "The service is not configured correctly. The operator has been told.");
  }
  log.error("unhandled error", { error: errorMessage(err), stack: errorFrames(err) });
  return problemResponse("internal_error", "An unexpected error occurred. It has been logged.");
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`);
