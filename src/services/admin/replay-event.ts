import { desc, eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { stripeEvents } from "../../db/schema";
import { AppError } from "../../errors";
import { enqueueStripeEvent } from "../../queue/producer";

export async function listEvents(ctx: Ctx, filter: { status?: string; limit: number }) {
  return ctx.db
    .select({
      id: stripeEvents.id,
      type: stripeEvents.type,
      createdSec: stripeEvents.createdSec,
      status: stripeEvents.status,
      attempts: stripeEvents.attempts,
      errorCode: stripeEvents.errorCode,
      lastError: stripeEvents.lastError,
      receivedAt: stripeEvents.receivedAt,
      processedAt: stripeEvents.processedAt,
    })
    .from(stripeEvents)
    .where(filter.status ? eq(stripeEvents.status, filter.status) : undefined)
    .orderBy(desc(stripeEvents.receivedAt))
    .limit(filter.limit);
}

/**
 * Puts a recorded event back on the queue, e.g. after fixing a product mapping. Effects are
 * idempotent, so replaying an event that was already applied changes nothing it should not.
 */
export async function replayEvent(ctx: Ctx, eventId: string) {
  const [row] = await ctx.db
    .update(stripeEvents)
    .set({ status: "received", lockedUntil: null, errorCode: null })
    .where(eq(stripeEvents.id, eventId))
    .returning({ payload: stripeEvents.payload, type: stripeEvents.type });
  if (!row) throw new AppError("not_found", `No recorded event ${eventId}.`);
  const event = row.payload as Stripe.Event;
  // Dead-lettered messages may have been recorded without their payload: re-read it from Stripe.
  const complete = event && typeof event === "object" && "data" in event ? event : await ctx.stripe.events.retrieve(eventId);
  await enqueueStripeEvent(ctx.queue, complete, JSON.stringify(complete).length);
  ctx.log.info("event replayed", { eventId, eventType: row.type });
  return { eventId, type: row.type };
}
