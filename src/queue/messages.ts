import { z } from "zod";

/** A verified Stripe event. `event` is omitted when it would not fit a queue message (128 KB). */
export const StripeEventMessage = z.object({
  kind: z.literal("stripe-event"),
  eventId: z.string().startsWith("evt_"),
  type: z.string(),
  created: z.number().int(),
  livemode: z.boolean(),
  event: z.record(z.string(), z.unknown()).optional(),
});

/** Send (or re-send) one row of the email outbox. */
const SendEmailMessage = z.object({
  kind: z.literal("send-email"),
  outboxId: z.string(),
});

/** Someone asked for the keys of an address (POST /licenses/recover): looked up here, off the request path. */
const RecoverLicensesMessage = z.object({
  kind: z.literal("recover-licenses"),
  requestId: z.string().startsWith("rcv_"),
  address: z.string().min(3).max(254),
});

export const QueueMessage = z.discriminatedUnion("kind", [
  StripeEventMessage,
  SendEmailMessage,
  RecoverLicensesMessage,
]);

export type StripeEventMessage = z.infer<typeof StripeEventMessage>;
export type QueueMessage = z.infer<typeof QueueMessage>;

/** Leaves room below the 128 KB message limit for the envelope. */
export const MAX_INLINE_EVENT_BYTES = 100 * 1024;
