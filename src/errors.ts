import { isDatabaseUnavailable } from "./db/classify-error";
import type { Standing } from "./domain/license-standing";
import { ConfigError } from "./lib/config-error";

// The one errors module: the closed list of codes (API.md), the errors our code throws, and
// `toFailure`, the one mapping from an error to what HTTP callers and the queue consumer see.
// It sits above db/, domain/ and lib/ (imports only those) and below everything that throws.
// The OpenAPI side (the Problem schema, `problemResponses`) lives in openapi/problem-responses.ts.

/**
 * The closed list of machine-readable error codes (API.md). Clients switch on these. `action` is
 * what the caller can do about it, shown on the problem's `type` page (GET /problems/{code}).
 */
export const ERROR_CODES = {
  malformed_json: {
    status: 400,
    title: "Malformed JSON",
    action: "Send a well-formed JSON body (UTF-8, `Content-Type: application/json`).",
  },
  invalid_signature: {
    status: 400,
    title: "Invalid signature",
    action: "Stripe signs webhooks: check that the endpoint's `whsec_` secret is in `STRIPE_WEBHOOK_SECRET`.",
  },
  unauthorized: {
    status: 401,
    title: "Unauthorized",
    action: "Send `Authorization: Bearer <key>` with one of the service's internal API keys.",
  },
  invalid_token: {
    status: 401,
    title: "Invalid token",
    action: "Sign in again to get a fresh access token for this API, then retry.",
  },
  invalid_proof: {
    status: 401,
    title: "Invalid proof of possession",
    action: "Send a fresh DPoP proof signed by the install's own key (docs/API.md, seats bound to a key).",
  },
  invalid_license: {
    status: 401,
    title: "Invalid license",
    action: "Check that the license key was copied whole; recover it with POST /licenses/recover.",
  },
  forbidden: {
    status: 403,
    title: "Forbidden",
    action: "Sign in through Cloudflare Access with an account this console admits, and post only from its own pages.",
  },
  license_revoked: {
    status: 403,
    title: "License revoked",
    action: "The license no longer entitles its holder (refund or support decision): contact support or buy again.",
  },
  license_suspended: {
    status: 403,
    title: "License suspended",
    action: "A payment dispute is open; the license is reinstated if it is resolved in your favour.",
  },
  license_expired: {
    status: 403,
    title: "License expired",
    action: "Renew the subscription; the renewed key reaches the app on its next validation.",
  },
  not_found: {
    status: 404,
    title: "Not found",
    action: "Check the path and the id; an id that is not yours reads as not found.",
  },
  no_subscription: {
    status: 404,
    title: "No subscription",
    action: "This account has no subscription yet: start one with POST /checkout/sessions.",
  },
  not_ready: {
    status: 404,
    title: "Not ready",
    action: "It is on its way: retry after the number of seconds in `Retry-After`.",
  },
  method_not_allowed: {
    status: 405,
    title: "Method not allowed",
    action: "Use the method the API reference (/docs) lists for this path.",
  },
  activation_limit_reached: {
    status: 409,
    title: "Activation limit reached",
    action: "Free a machine (POST /licenses/deactivate or DELETE /account/licenses/{id}/machines/{machine_id}).",
  },
  conflict: {
    status: 409,
    title: "Conflict",
    action: "The request contradicts the current state: read it again, then decide.",
  },
  payload_too_large: {
    status: 413,
    title: "Payload too large",
    action: "Send a smaller body (16 KiB for JSON bodies).",
  },
  unsupported_media_type: {
    status: 415,
    title: "Unsupported media type",
    action: "Send JSON (`Content-Type: application/json`).",
  },
  validation_failed: {
    status: 422,
    title: "Validation failed",
    action: "Fix the fields listed in `errors` (each with its `path` and `message`), then retry.",
  },
  deactivation_limit_reached: {
    status: 429,
    title: "Deactivation limit reached",
    action: "This license freed machines too often lately: retry after `Retry-After` seconds.",
  },
  rate_limited: {
    status: 429,
    title: "Too many requests",
    action: "Slow down: retry after the number of seconds in `Retry-After`.",
  },
  internal_error: {
    status: 500,
    title: "Internal server error",
    action: "Our fault, and logged: retry later; quote `request_id` when you contact support.",
  },
  bad_gateway: {
    status: 502,
    title: "Upstream error",
    action: "A provider we depend on refused the request: retry later; quote `request_id` if it persists.",
  },
  unavailable: {
    status: 503,
    title: "Service unavailable",
    action: "A temporary outage: retry after the number of seconds in `Retry-After`.",
  },
  misconfigured: {
    status: 503,
    title: "Service misconfigured",
    action: "The operator has been told: retry later; quote `request_id` when you contact support.",
  },
} as const satisfies Record<string, { status: number; title: string; action: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

const PROBLEM_TYPE_BASE = "https://api.maximus.example/problems/";

/** The `type` URL of a code's problems: GET /problems/{code} on this service describes it. */
export const problemType = (code: ErrorCode) => `${PROBLEM_TYPE_BASE}${code.replaceAll("_", "-")}`;

/** The code a /problems/{slug} names: the hyphenated form of the `type` URL, or the code itself. */
export function codeOfProblemSlug(slug: string): ErrorCode | null {
  const code = slug.replaceAll("-", "_");
  return Object.hasOwn(ERROR_CODES, code) ? (code as ErrorCode) : null;
}

export interface ValidationIssue {
  path: string;
  message: string;
}

interface ProblemOptions {
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** RFC 9457 problem details as every error response carries them (API.md). */
export function problemResponse(
  code: ErrorCode,
  { requestId, detail, extra = {}, headers = {} }: ProblemOptions & { requestId: string; detail?: string },
): Response {
  const { status, title } = ERROR_CODES[code];
  // request_id last: no extra field can overwrite the id the caller quotes to support.
  const body = {
    type: problemType(code),
    title,
    status,
    detail: detail ?? title,
    code,
    ...extra,
    request_id: requestId,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

// ---- what our code throws ----

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

/** What a workflow refuses, in the contract's words. Services, adapters and the queue throw these. */
abstract class DomainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Nothing of that id (or not the caller's, which reads the same). */
export class NotFoundError extends DomainError {
  constructor(
    readonly code: "not_found" | "no_subscription",
    detail: string,
  ) {
    super(detail);
  }
}

/** It exists, but is not there yet (a checkout whose license the webhook has not issued). */
export class NotReadyError extends DomainError {
  constructor(
    detail: string,
    readonly extra: Record<string, unknown>,
    readonly retryAfterSec: number,
  ) {
    super(detail);
  }
}

/** The request contradicts the state we hold. */
export class ConflictError extends DomainError {}

/** A limit the license sets (machines) is reached. */
export class LimitExceededError extends DomainError {
  constructor(
    detail: string,
    readonly limit: number,
  ) {
    super(detail);
  }
}

type LicenseRefusal = "invalid_license" | "license_revoked" | "license_suspended" | "license_expired";

/** The presented license key does not entitle its holder to this. */
export class LicenseRefusedError extends DomainError {
  constructor(
    readonly code: LicenseRefusal,
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * A seat bound to an install's key, and no valid DPoP proof of that key (RFC 9449): absent, or bad.
 * The challenge says what we accept, and, for a proof that was sent, that it was refused.
 */
export class ProofRefusedError extends DomainError {
  readonly challenge: string;
  constructor(detail: string, proofSent: boolean) {
    super(detail);
    this.challenge = proofSent ? 'DPoP algs="EdDSA", error="invalid_dpop_proof"' : 'DPoP algs="EdDSA"';
  }
}

const STANDING_REFUSALS = {
  revoked: ["license_revoked", "This license has been revoked."],
  suspended: ["license_suspended", "This license is suspended while a payment dispute is open."],
  expired: ["license_expired", "This license has expired."],
} as const;

/** Why a license that is not active refuses a request (domain/license-standing.ts decides the standing). */
export function standingError(standing: Exclude<Standing, "active">): LicenseRefusedError {
  const [code, detail] = STANDING_REFUSALS[standing];
  return new LicenseRefusedError(code, detail);
}

export const invalidLicense = () => new LicenseRefusedError("invalid_license", "The license key is not valid.");

/** Input that passed the schema but not a rule (an expiry in the past, a price not on sale). */
export class InvalidInputError extends DomainError {
  constructor(
    detail: string,
    readonly issues: ValidationIssue[],
  ) {
    super(detail);
  }
}

/** The Stripe-Signature of a webhook does not verify. */
export class InvalidSignatureError extends DomainError {}

/** The bearer token is missing or not a valid Logto access token for this API. `reason` is safe to log. */
export class InvalidAccessTokenError extends DomainError {
  constructor(readonly reason: string) {
    super(`invalid access token: ${reason}`);
  }
}

/** Logto's keys could not be fetched, so no token can be judged either way. */
export class LogtoUnavailableError extends DomainError {
  constructor(options?: { cause?: unknown }) {
    super("Logto JWKS unavailable", options);
  }
}

/** A provider (Stripe, the queue) is down, slow or throttling: the same call may succeed later. */
export class UnavailableError extends DomainError {
  constructor(
    detail: string,
    readonly retryAfterSec = 5,
  ) {
    super(detail);
  }
}

/** A provider refused our request: retrying it as is will not help. */
export class UpstreamRefusedError extends DomainError {}

/** Too many requests from one client, license or account in the limiter's window (60 s, wrangler.toml). */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSec = 60) {
    super("Too many requests. Please retry later.");
  }
}

/** A license freed its seats too often lately (seat churn through offline leases): the next move waits. */
export class DeactivationLimitError extends DomainError {
  constructor(
    detail: string,
    readonly limit: number,
    readonly retryAfterSec: number,
  ) {
    super(detail);
  }
}

/** Someone else holds this piece of work right now (a concurrent redelivery): try again shortly. */
export class BusyError extends DomainError {}

/** The Stripe event can never be applied as it is: record it as failed, don't retry. */
export class PermanentEventError extends DomainError {
  constructor(
    readonly code: "unmapped_product" | "invalid_event",
    detail: string,
  ) {
    super(detail);
  }
}

// ---- the one mapping ----

interface Failure {
  code: ErrorCode;
  detail: string;
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** The queue retries it with backoff (the same work may succeed later); otherwise it is permanent. */
  transient: boolean;
}

const retryAfter = (sec: number) => ({ "Retry-After": String(sec) });
/** Something we depend on is down for now: the caller retries after `sec`, the queue retries the event. */
const unavailable = (detail: string, sec: number): Failure => ({
  code: "unavailable",
  detail,
  headers: retryAfter(sec),
  transient: true,
});

/**
 * The one mapping from what went wrong to what the caller sees: HTTP answers with `code` and
 * `detail`, the queue consumer with `transient`. Unknown errors are null: a logged generic 500,
 * and a permanent failure for the queue.
 */
export function toFailure(err: unknown): Failure | null {
  if (err instanceof AppError)
    return { code: err.code, detail: err.message, extra: err.extra, headers: err.headers, transient: false };
  if (err instanceof NotFoundError) return { code: err.code, detail: err.message, transient: false };
  if (err instanceof NotReadyError)
    return {
      code: "not_ready",
      detail: err.message,
      extra: err.extra,
      headers: retryAfter(err.retryAfterSec),
      transient: false,
    };
  if (err instanceof ConflictError) return { code: "conflict", detail: err.message, transient: false };
  if (err instanceof LimitExceededError)
    return { code: "activation_limit_reached", detail: err.message, extra: { limit: err.limit }, transient: false };
  if (err instanceof LicenseRefusedError) return { code: err.code, detail: err.message, transient: false };
  if (err instanceof ProofRefusedError)
    return {
      code: "invalid_proof",
      detail: err.message,
      headers: { "WWW-Authenticate": err.challenge },
      transient: false,
    };
  if (err instanceof InvalidInputError)
    return { code: "validation_failed", detail: err.message, extra: { errors: err.issues }, transient: false };
  if (err instanceof InvalidSignatureError) return { code: "invalid_signature", detail: err.message, transient: false };
  if (err instanceof InvalidAccessTokenError) {
    // RFC 6750 §3.1: a request without credentials gets the challenge but no error code.
    const challenge = err.reason === "missing" ? "Bearer" : 'Bearer error="invalid_token"';
    return {
      code: "invalid_token",
      detail: "The access token is missing, invalid or expired.",
      headers: { "WWW-Authenticate": challenge },
      transient: false,
    };
  }
  if (err instanceof LogtoUnavailableError) return unavailable("Sign-in cannot be checked right now. Please retry.", 5);
  if (err instanceof UnavailableError) return unavailable(err.message, err.retryAfterSec);
  if (err instanceof UpstreamRefusedError) return { code: "bad_gateway", detail: err.message, transient: false };
  if (err instanceof RateLimitedError)
    return { code: "rate_limited", detail: err.message, headers: retryAfter(err.retryAfterSec), transient: false };
  if (err instanceof DeactivationLimitError) {
    const extra = { limit: err.limit, retry_after: err.retryAfterSec };
    return {
      code: "deactivation_limit_reached",
      detail: err.message,
      extra,
      headers: retryAfter(err.retryAfterSec),
      transient: false,
    };
  }
  if (err instanceof BusyError) return unavailable(err.message, 1);
  if (isDatabaseUnavailable(err)) return unavailable("The service is temporarily unavailable. Please retry.", 5);
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
