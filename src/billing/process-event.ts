import type Stripe from "stripe";
import type { Ctx } from "../context";
import { claimEvent, failEvent, finishEvent, releaseEvent } from "../db/queries/stripe-events";
import { BusyError, PermanentEventError } from "../domain/errors";
import { errorMessage } from "../lib/logger";
import { applyStripeEvent } from "./apply-event";

/**
 * The event log workflow: claim the event (dedupe and a 60 s lease), apply it once, queue the
 * emails it produced, and record the outcome. A permanent failure is recorded and answered, not
 * thrown; anything else gives the lease back and is thrown for the queue to retry.
 */
export async function processStripeEvent(ctx: Ctx, input: { eventId: string; event?: Record<string, unknown> }): Promise<string> {
  // safe because the webhook verified the signature before enqueueing it (or Stripe itself answers)
  const event = (input.event ?? (await ctx.stripe.retrieveEvent(input.eventId))) as unknown as Stripe.Event;
  const claim = await claimEvent(ctx.db, { id: event.id, type: event.type, created: event.created, livemode: event.livemode, payload: event });
  if (claim === "done") return "duplicate";
  if (claim === "busy") throw new BusyError(`event ${event.id} is being applied by another consumer`);
  try {
    const result = await applyStripeEvent(ctx, event);
    for (const outboxId of result.emails ?? []) await ctx.jobs.enqueueEmail(outboxId);
    await finishEvent(ctx.db, event.id, result.outcome, result.note);
    return result.outcome;
  } catch (err) {
    if (err instanceof PermanentEventError) {
      await failEvent(ctx.db, event.id, err.code, err.message);
      ctx.log.error("stripe event failed", { code: err.code, error: err.message });
      return `failed:${err.code}`;
    }
    await releaseEvent(ctx.db, event.id, errorMessage(err)).catch(() => undefined);
    throw err;
  }
}
