/** Stripe's `Subscription.status` words (API 2026-10-28), stored as Stripe sends them; a word Stripe adds later reads as expired. */
export type StripeSubscriptionStatus = KnownStripeStatus | (string & {});

type KnownStripeStatus =
  | "incomplete"
  | "incomplete_expired"
  | "trialing"
  | "active"
  | "past_due"
  | "canceled"
  | "unpaid"
  | "paused";

/** The subscription serves the user now: it wins over any other of theirs for the same product. */
export const LIVE_STRIPE_STATUSES = ["active", "trialing", "past_due", "unpaid"] as const satisfies KnownStripeStatus[];

/** Not settled yet: Stripe may still move it, so the nightly reconcile re-reads these when stale. */
export const UNSETTLED_STRIPE_STATUSES = [
  ...LIVE_STRIPE_STATUSES,
  "incomplete",
  "paused",
] as const satisfies KnownStripeStatus[];

/** The period is paid for: a renewal the reconcile finds extends the license. */
export const isPaidUp = (status: string) => status === "active" || status === "trialing";
