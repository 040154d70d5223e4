import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The closed list of machine-readable error codes (API.md). Clients switch on these. */
export const ERROR_CODES = {
  malformed_json: { status: 400, title: "Malformed JSON" },
  invalid_signature: { status: 400, title: "Invalid signature" },
  unauthorized: { status: 401, title: "Unauthorized" },
  invalid_token: { status: 401, title: "Invalid token" },
  invalid_license: { status: 401, title: "Invalid license" },
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
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ValidationIssue {
  path: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: ValidationIssue[];
  [extra: string]: unknown;
}

/** An error whose every field is safe to show to the client. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? ERROR_CODES[code].title);
    this.name = "AppError";
    this.code = code;
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

export function problemResponse(code: ErrorCode, detail?: string, options: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {}): Response {
  const body = problem(code, detail, options.extra);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...options.headers },
  });
}
