import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { listEvents as selectEvents, reopenEventStatement, selectEventType } from "../../db/queries/stripe-events";
import { NotFoundError } from "../../errors";
import type { EventStatus } from "../../domain/stripe-event-types";
import { type Actor, auditStatement } from "./audit";

export const listEvents = (ctx: Ctx, input: { status?: EventStatus; limit: number }) => selectEvents(ctx.db, input);

/**
 * Puts a recorded event back on the queue, e.g. after fixing a product mapping. Effects are
 * idempotent, so replaying an event that was already applied changes nothing it should not.
 */
export async function replayEvent(
  ctx: Ctx,
  input: { eventId: string; by: Actor },
): Promise<{ eventId: string; type: string }> {
  const { eventId } = input;
  // Read first, so an unknown id writes no audit entry; events are never deleted in between.
  const [known] = await selectEventType(ctx.db, eventId);
  if (!known) throw new NotFoundError("not_found", `No recorded event ${eventId}.`);
  const [[row]] = await ctx.db.batch([
    reopenEventStatement(ctx.db, eventId),
    auditStatement(ctx, input.by, "replay-event", eventId),
  ]);
  if (!row) throw new NotFoundError("not_found", `No recorded event ${eventId}.`);
  const event = row.payload as Stripe.Event;
  // Dead-lettered messages may have been recorded without their payload: re-read it from Stripe.
  const complete =
    event && typeof event === "object" && "data" in event ? event : await ctx.stripe.retrieveEvent(eventId);
  await ctx.jobs.enqueueStripeEvent(complete, JSON.stringify(complete).length);
  ctx.log.info("event replayed", { eventId, eventType: row.type });
  return { eventId, type: row.type };
}
