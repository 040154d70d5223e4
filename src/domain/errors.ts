/**
 * What a workflow refuses, in the contract's words. Services and billing throw these; `errors.ts`
 * is the one place that turns each into problem+json for HTTP and into retry-or-not for the queue.
 */
export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ValidationIssue {
  path: string;
  message: string;
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

export type LicenseRefusal = "invalid_license" | "license_revoked" | "license_suspended" | "license_expired";

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
