import { z } from "@hono/zod-openapi";
import { namedSchema } from "./openapi/named-schemas";
import { isDatabaseUnavailable } from "./db/classify-error";
import * as D from "./domain/errors";
import { ConfigError } from "./lib/config-error";

export type { ValidationIssue } from "./domain/errors";

/** The closed list of machine-readable error codes (API.md). Clients switch on these. */
export const ERROR_CODES = {
  malformed_json: { status: 400, title: "Malformed JSON" },
  invalid_signature: { status: 400, title: "Invalid signature" },
  unauthorized: { status: 401, title: "Unauthorized" },
  invalid_token: { status: 401, title: "Invalid token" },
  invalid_license: { status: 401, title: "Invalid license" },
  forbidden: { status: 403, title: "Forbidden" },
  license_revoked: { status: 403, title: "License revoked" },
  license_suspended: { status: 403, title: "License suspended" },
  license_expired: { status: 403, title: "License expired" },
  not_found: { status: 404, title: "Not found" },
  no_subscription: { status: 404, title: "No subscription" },
  not_ready: { status: 404, title: "Not ready" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  activation_limit_reached: { status: 409, title: "Activation limit reached" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  validation_failed: { status: 422, title: "Validation failed" },
  deactivation_limit_reached: { status: 429, title: "Deactivation limit reached" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal_error: { status: 500, title: "Internal server error" },
  bad_gateway: { status: 502, title: "Upstream error" },
  unavailable: { status: 503, title: "Service unavailable" },
  misconfigured: { status: 503, title: "Service misconfigured" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: D.ValidationIssue[];
  [extra: string]: unknown;
}

interface ProblemOptions {
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** An HTTP-only refusal (auth, limits, body) whose every field is safe to show to the client. */
export class AppError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    options: ProblemOptions = {},
  ) {
    super(detail ?? ERROR_CODES[code].title);
    this.name = "AppError";
    this.status = ERROR_CODES[code].status;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

export function problem(code: ErrorCode, detail?: string, extra: Record<string, unknown> = {}): ProblemDetails {
  const { status, title } = ERROR_CODES[code];
  return {
    type: `https://api.maximus.example/problems/${code.replaceAll("_", "-")}`,
    title,
    status,
    detail: detail ?? title,
    code,
    ...extra,
  };
}

export function problemResponse(code: ErrorCode, detail?: string, options: ProblemOptions = {}): Response {
  const body = problem(code, detail, options.extra);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...options.headers },
  });
}

export interface Failure {
  code: ErrorCode;
  detail: string;
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** The queue retries it with backoff (the same work may succeed later); otherwise it is permanent. */
  transient: boolean;
}

const retryAfter = (sec: number) => ({ "Retry-After": String(sec) });

/**
 * The one mapping from what went wrong to what the caller sees: HTTP answers with `code` and
 * `detail`, the queue consumer with `transient`. Unknown errors are null: a logged generic 500,
 * and a permanent failure for the queue.
 */
export function toFailure(err: unknown): Failure | null {
  if (err instanceof AppError)
    return { code: err.code, detail: err.message, extra: err.extra, headers: err.headers, transient: false };
  if (err instanceof D.NotFoundError) return { code: err.code, detail: err.message, transient: false };
  if (err instanceof D.NotReadyError)
    return {
      code: "not_ready",
      detail: err.message,
      extra: err.extra,
      headers: retryAfter(err.retryAfterSec),
      transient: false,
    };
  if (err instanceof D.ConflictError) return { code: "conflict", detail: err.message, transient: false };
  if (err instanceof D.LimitExceededError)
    return { code: "activation_limit_reached", detail: err.message, extra: { limit: err.limit }, transient: false };
  if (err instanceof D.LicenseRefusedError) return { code: err.code, detail: err.message, transient: false };
  if (err instanceof D.InvalidInputError)
    return { code: "validation_failed", detail: err.message, extra: { errors: err.issues }, transient: false };
  if (err instanceof D.InvalidSignatureError)
    return { code: "invalid_signature", detail: err.message, transient: false };
  if (err instanceof D.UnavailableError)
    return { code: "unavailable", detail: err.message, headers: retryAfter(err.retryAfterSec), transient: true };
  if (err instanceof D.UpstreamRefusedError) return { code: "bad_gateway", detail: err.message, transient: false };
  if (err instanceof D.RateLimitedError)
    return { code: "rate_limited", detail: err.message, headers: retryAfter(err.retryAfterSec), transient: false };
  if (err instanceof D.DeactivationLimitError) {
    const extra = { limit: err.limit, retry_after: err.retryAfterSec };
    return {
      code: "deactivation_limit_reached",
      detail: err.message,
      extra,
      headers: retryAfter(err.retryAfterSec),
      transient: false,
    };
  }
  if (err instanceof D.BusyError)
    return { code: "unavailable", detail: err.message, headers: retryAfter(1), transient: true };
  if (isDatabaseUnavailable(err)) {
    return {
      code: "unavailable",
      detail: "The service is temporarily unavailable. Please retry.",
      headers: retryAfter(5),
      transient: true,
    };
  }
  // A broken deployment: an operator fixes it, and the queued events must wait for that, not die.
  if (err instanceof ConfigError)
    return {
      code: "misconfigured",
      detail: "The service is not configured correctly. The operator has been told.",
      transient: true,
    };
  return null;
}

export const isTransient = (err: unknown) => toFailure(err)?.transient ?? false;

// ---- the problem responses a route declares (OpenAPI) ----

const CODES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const ProblemSchema = namedSchema(
  "Problem",
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(CODES),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("only with `validation_failed`"),
  }),
);

// The codes whose answers carry these headers (middleware/internal-auth.ts, logto-auth.ts, rate-limit.ts, toFailure).
const CHALLENGED = new Set<ErrorCode>(["unauthorized", "invalid_token"]);
const RETRY_AFTER = new Set<ErrorCode>(["rate_limited", "deactivation_limit_reached", "unavailable", "not_ready"]);
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

type StatusOf<C extends ErrorCode> = (typeof ERROR_CODES)[C]["status"];
type ProblemResponse = {
  description: string;
  headers: Record<string, { $ref: string }>;
  content: { "application/problem+json": { schema: z.ZodType } };
};

// Any request may meet these: a bug, or a deployment whose configuration is refused (config.ts).
const ALWAYS = ["internal_error", "misconfigured"] as const;

/** Spread into a route's `responses`: one problem+json response per status, naming its codes (and always 500, 503 misconfigured). */
export function problemResponses<C extends ErrorCode>(
  ...codes: C[]
): { [S in StatusOf<C | (typeof ALWAYS)[number]>]: ProblemResponse } {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set<ErrorCode>([...codes, ...ALWAYS])) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<number, ProblemResponse> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Record<string, { $ref: string }> = { "X-Request-Id": headerRef("RequestId") };
    if (list.some((c) => CHALLENGED.has(c))) headers["WWW-Authenticate"] = headerRef("WwwAuthenticate");
    if (list.some((c) => RETRY_AFTER.has(c))) headers["Retry-After"] = headerRef("RetryAfter");
    const schema = z.intersection(ProblemSchema, z.object({ code: z.enum(list as [ErrorCode, ...ErrorCode[]]) }));
    responses[status] = {
      description: list.map((c) => `\`${c}\``).join(", "),
      headers,
      content: { "application/problem+json": { schema } },
    };
  }
  return responses as { [S in StatusOf<C | (typeof ALWAYS)[number]>]: ProblemResponse };
}
