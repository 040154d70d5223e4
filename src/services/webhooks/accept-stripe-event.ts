import type { Ctx } from "../../context";
import { InvalidSignatureError, UnavailableError } from "../../errors";
import { isHandledEventType } from "../../domain/stripe-event-types";
import { errorMessage } from "../../lib/logger";

export interface ReceivedEvent {
  eventId: string;
  eventType: string;
  ignored?: "livemode_mismatch" | "unhandled_type";
}

/**
 * Stripe → us: verify, make durable on the queue, answer. No database work here: an outage must
 * not lose events, and Stripe wants a fast answer. Effects happen in the queue consumer (services/stripe-events/).
 */
export async function acceptStripeEvent(
  ctx: Ctx,
  input: { rawBody: string; signature: string | undefined },
): Promise<ReceivedEvent> {
  const verified = await ctx.stripe.verifyWebhook(input.rawBody, input.signature);
  if (!verified.ok) throw new InvalidSignatureError(verified.detail);
  const { event } = verified;
  const fields = { eventId: event.id, eventType: event.type };

  if (event.livemode !== ctx.config.stripeLivemode) {
    ctx.log.warn("webhook ignored: livemode mismatch", { ...fields, livemode: event.livemode });
    return { ...fields, ignored: "livemode_mismatch" };
  }
  if (!isHandledEventType(event.type)) return { ...fields, ignored: "unhandled_type" };
  try {
    // The queue's limit is in bytes: `length` counts UTF-16 units, half or a third of non-ASCII text.
    await ctx.jobs.enqueueStripeEvent(event, new TextEncoder().encode(input.rawBody).byteLength);
  } catch (err) {
    ctx.log.error("webhook: could not enqueue", { ...fields, error: errorMessage(err) });
    throw new UnavailableError("The event could not be stored; Stripe will retry.", 10);
  }
  return fields;
}
