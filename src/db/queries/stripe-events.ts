import { desc, eq, sql } from "drizzle-orm";
import type { EventStatus } from "../../domain/stripe-events";
import { clip } from "../../lib/text";
import type { Db } from "../client";
import { stripeEvents } from "../schema";

const LEASE = sql`now() + interval '60 seconds'`;

export type Claim = "claimed" | "done" | "busy";

export interface EventFacts {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  payload: unknown;
}

/**
 * Records the event (first delivery) and takes a 60 s lease on it. Processed or ignored events are
 * `done`; a failed one may be claimed again (replay); one leased by another consumer is `busy`.
 */
export async function claimEvent(db: Db, event: EventFacts): Promise<Claim> {
  const claimed = await db
    .insert(stripeEvents)
    .values({ id: event.id, type: event.type, createdSec: event.created, livemode: event.livemode, payload: event.payload, attempts: 1, lockedUntil: LEASE })
    .onConflictDoUpdate({
      target: stripeEvents.id,
      set: { attempts: sql`${stripeEvents.attempts} + 1`, lockedUntil: LEASE },
      setWhere: sql`${stripeEvents.status} in ('received', 'failed')
        and (${stripeEvents.lockedUntil} is null or ${stripeEvents.lockedUntil} < now())`,
    })
    .returning({ status: stripeEvents.status });
  if (claimed.length > 0) return "claimed";
  const [row] = await db.select({ status: stripeEvents.status }).from(stripeEvents).where(eq(stripeEvents.id, event.id));
  return row && (row.status === "processed" || row.status === "ignored") ? "done" : "busy";
}

export async function finishEvent(db: Db, eventId: string, status: "processed" | "ignored", note?: string) {
  await db
    .update(stripeEvents)
    .set({ status, processedAt: sql`now()`, lockedUntil: null, errorCode: null, lastError: note ?? null })
    .where(eq(stripeEvents.id, eventId));
}

export async function failEvent(db: Db, eventId: string, code: string, message: string) {
  await db
    .update(stripeEvents)
    .set({ status: "failed", errorCode: code, lastError: clip(message, 500), lockedUntil: null })
    .where(eq(stripeEvents.id, eventId));
}

/** Gives the lease back after a transient failure so the retry can claim it at once. */
export async function releaseEvent(db: Db, eventId: string, message: string) {
  await db
    .update(stripeEvents)
    .set({ lastError: clip(message, 500), lockedUntil: null })
    .where(eq(stripeEvents.id, eventId));
}

/** A dead-lettered event, as failed (unless it was applied meanwhile), so support sees and can replay it. */
export async function recordDeadLetteredEvent(db: Db, event: EventFacts, reason: string) {
  await db
    .insert(stripeEvents)
    .values({
      id: event.id,
      type: event.type,
      createdSec: event.created,
      livemode: event.livemode,
      payload: event.payload,
      status: "failed",
      errorCode: "dead_lettered",
      lastError: reason,
    })
    .onConflictDoUpdate({
      target: stripeEvents.id,
      set: { status: "failed", errorCode: "dead_lettered", lastError: reason, lockedUntil: null },
      setWhere: sql`${stripeEvents.status} not in ('processed', 'ignored')`,
    });
}

/** Back to `received` for a replay; null when there is no such event. */
export async function reopenEvent(db: Db, eventId: string) {
  const [row] = await db
    .update(stripeEvents)
    .set({ status: "received", lockedUntil: null, errorCode: null })
    .where(eq(stripeEvents.id, eventId))
    .returning({ payload: stripeEvents.payload, type: stripeEvents.type });
  return row ?? null;
}

export function listEvents(db: Db, filter: { status?: EventStatus; limit: number }) {
  return db
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
