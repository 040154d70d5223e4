import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Ctx } from "../context";
import { stripeEvents } from "../db/schema";
import { clip } from "../lib/text";

const LEASE = sql`now() + interval '60 seconds'`;

export type Claim = "claimed" | "done" | "busy";

/**
 * Records the event (first delivery) and takes a 60 s lease on it. Processed or ignored events are
 * `done`; a failed one may be claimed again (replay); one leased by another consumer is `busy`.
 */
export async function claimEvent(ctx: Ctx, event: Stripe.Event): Promise<Claim> {
  const claimed = await ctx.db
    .insert(stripeEvents)
    .values({
      id: event.id,
      type: event.type,
      createdSec: event.created,
      livemode: event.livemode,
      payload: event,
      attempts: 1,
      lockedUntil: LEASE,
    })
    .onConflictDoUpdate({
      target: stripeEvents.id,
      set: { attempts: sql`${stripeEvents.attempts} + 1`, lockedUntil: LEASE },
      setWhere: sql`${stripeEvents.status} in ('received', 'failed')
        and (${stripeEvents.lockedUntil} is null or ${stripeEvents.lockedUntil} < now())`,
    })
    .returning({ status: stripeEvents.status });
  if (claimed.length > 0) return "claimed";
  const [row] = await ctx.db.select({ status: stripeEvents.status }).from(stripeEvents).where(eq(stripeEvents.id, event.id));
  return row && (row.status === "processed" || row.status === "ignored") ? "done" : "busy";
}

export async function finishEvent(ctx: Ctx, eventId: string, status: "processed" | "ignored", note?: string) {
  await ctx.db
    .update(stripeEvents)
    .set({ status, processedAt: sql`now()`, lockedUntil: null, errorCode: null, lastError: note ?? null })
    .where(eq(stripeEvents.id, eventId));
}

export async function failEvent(ctx: Ctx, eventId: string, code: string, message: string) {
  await ctx.db
    .update(stripeEvents)
    .set({ status: "failed", errorCode: code, lastError: clip(message, 500), lockedUntil: null })
    .where(eq(stripeEvents.id, eventId));
}

/** Gives the lease back after a transient failure so the retry can claim it at once. */
export async function releaseEvent(ctx: Ctx, eventId: string, message: string) {
  await ctx.db
    .update(stripeEvents)
    .set({ lastError: clip(message, 500), lockedUntil: null })
    .where(eq(stripeEvents.id, eventId));
}
