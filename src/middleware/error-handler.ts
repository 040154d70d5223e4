import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";
import { isDatabaseUnavailable } from "../db/classify-error";
import { problemResponse, toFailure, type ErrorCode } from "../errors";
import { ConfigError } from "../lib/config-error";
import { createLogger, errorFrames, errorMessage } from "../lib/logger";
import { countAgainstClientIp } from "./rate-limit";

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

/** Three tiers: our errors through the one mapping (errors.ts); Hono's HTTPException by status; anything else a generic 500. */
export const onError: ErrorHandler<AppEnv> = (err, c: Context<AppEnv>) => {
  const requestId = c.get("requestId");
  const log = createLogger({ requestId });
  if (isDatabaseUnavailable(err)) log.error("database unavailable", { error: errorMessage(err) });
  // Names the variables, never their values.
  else if (err instanceof ConfigError) log.error("configuration error", { variables: err.variables.join(", ") });
  const failure = toFailure(err);
  if (failure) {
    const { code, detail, extra, headers } = failure;
    return problemResponse(code, { requestId, detail, extra, headers });
  }
  if (err instanceof HTTPException) {
    const code = codeForStatus[err.status] ?? (err.status >= 500 ? "internal_error" : "malformed_json");
    return problemResponse(code, { requestId });
  }
  log.error("unhandled error", { error: errorMessage(err), stack: errorFrames(err) });
  return problemResponse("internal_error", { requestId, detail: "An unexpected error occurred. It has been logged." });
};

/** Unknown paths are unauthenticated requests too: they count against the client IP. */
export const onNotFound: NotFoundHandler<AppEnv> = async (c) => {
  try {
    await countAgainstClientIp(c);
  } catch (err) {
    return onError(err as Error, c);
  }
  const detail = `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`;
  return problemResponse("not_found", { requestId: c.get("requestId"), detail });
};
