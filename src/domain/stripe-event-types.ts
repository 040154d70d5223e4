/** The Stripe event types we apply; any other verified event is acknowledged and ignored. */
export const HANDLED_EVENT_TYPES = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "invoice.payment_succeeded",
  // Also fires for an invoice marked paid out of band, which payment_succeeded never announces.
  "invoice.paid",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "charge.refunded",
  "charge.dispute.created",
  // An appeal moves a lost dispute to appeal_* and on to its decision through updates.
  "charge.dispute.updated",
  "charge.dispute.closed",
] as const;

export type HandledEventType = (typeof HANDLED_EVENT_TYPES)[number];

export const isHandledEventType = (type: string): type is HandledEventType =>
  (HANDLED_EVENT_TYPES as readonly string[]).includes(type);

/** stripe_events.status: received (claimed or waiting), processed, ignored, failed (support can replay). */
export const EVENT_STATUSES = ["received", "processed", "ignored", "failed"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
