import Stripe from "stripe";
import { AppError } from "../errors";
import type { Logger } from "../lib/logger";

/** Stripe answered that the object does not exist (a 404 `resource_missing`). */
export const isStripeNotFound = (err: unknown) =>
  err instanceof Stripe.errors.StripeError && (err.statusCode === 404 || err.code === "resource_missing");

/** Stripe down, slow or throttling us: the same call may succeed later. */
export function isRetryableStripeError(err: unknown): boolean {
  return (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeRateLimitError ||
    err instanceof Stripe.errors.StripeAPIError ||
    (err instanceof Stripe.errors.StripeError && (err.statusCode ?? 0) >= 500)
  );
}

/**
 * Turns a failed Stripe API call into our error contract: Stripe down or throttling us is a
 * retryable 503; anything else (our request or key refused) is a 502 the logs explain.
 */
export function toStripeAppError(err: unknown, log: Logger, operation: string): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  // Message, type and request id only: Stripe errors also carry the raw request and response.
  const fields = { operation, type: err.type, stripeCode: err.code, status: err.statusCode, stripeRequestId: err.requestId, error: err.message };
  if (isRetryableStripeError(err)) {
    log.warn("stripe unavailable", fields);
    return new AppError("unavailable", "The payment provider is unavailable. Please retry.", { headers: { "Retry-After": "5" } });
  }
  log.error("stripe refused a request", fields);
  return new AppError("bad_gateway", "The payment provider refused the request.");
}

/** Runs one Stripe call, mapping its failure with toStripeAppError. */
export async function callStripe<T>(log: Logger, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toStripeAppError(err, log, operation);
  }
}
