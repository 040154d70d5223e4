/** What the desktop app is told about a subscription (API.md `GET /subscriptions/status`). */
export type AccountStatus = "active" | "past_due" | "canceled" | "expired";

export interface AccountStatusInput {
  /** Stripe's `Subscription.status` word, as stored. */
  stripeStatus: string;
  currentPeriodEnd: Date | null;
  licenseRevoked: boolean;
  now: Date;
  graceDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Stripe statuses API.md does not name: `incomplete` (first payment still owed) reads as past_due,
 * `paused` (trial ended without a payment method: no service) and any unknown word as expired.
 */
export function toAccountStatus(input: AccountStatusInput): AccountStatus {
  const { stripeStatus, currentPeriodEnd, now } = input;
  if (input.licenseRevoked || stripeStatus === "incomplete_expired") return "expired";
  // Period plus grace over means expired whatever the status says (e.g. a renewal we never heard of).
  if (currentPeriodEnd && now.getTime() >= currentPeriodEnd.getTime() + input.graceDays * DAY_MS) return "expired";
  switch (stripeStatus) {
    case "active":
    case "trialing":
      return "active";
    case "past_due":
    case "unpaid":
    case "incomplete":
      return "past_due";
    case "canceled":
      return "canceled";
    default:
      return "expired";
  }
}

/** Statuses under which the user still holds the product: a second checkout would bill them twice. */
export const isHeld = (status: AccountStatus) => status === "active" || status === "past_due";
