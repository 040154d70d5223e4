import { textArray } from "../text-array";
import { and, desc, eq, inArray, isNotNull, lt, or, sql } from "drizzle-orm";
import type { EventStatus } from "../../domain/stripe-event-types";
import { clip } from "../../lib/text";
import type { Db } from "../client";
import { customers, licenses, payments, stripeEvents } from "../schema";

const LEASE = sql`now() + interval '60 seconds'`;

export type Claim = "claimed" | "done" | "busy";

export interface EventFacts {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  payload: unknown;
  /** The Stripe ids it concerns (objectIdsOfEvent, integrations/stripe/payload.ts). */
  objectIds: string[];
}

/**
 * The payload as stored: none when the event concerns an erased customer, so a webhook that arrives
 * after an erasure is applied but does not bring the person's fields back (docs/privacy.md).
 */
const storedPayload = (e: EventFacts) => {
  const ids = sql`${textArray(e.objectIds)}`;
  // A license's address is null only once erased (a guest checkout has no customer row to mark).
  return sql`case when exists (
      select 1 from ${customers} where ${customers.stripeCustomerId} = any(${ids}) and ${customers.erasedAt} is not null
    ) or exists (
      select 1 from ${licenses} where ${licenses.email} is null and (
        ${licenses.checkoutSessionId} = any(${ids})
        or ${licenses.id} in (select ${payments.licenseId} from ${payments}
          where ${payments.paymentIntentId} = any(${ids}) or ${payments.chargeId} = any(${ids})))
    ) then null else ${JSON.stringify(e.payload)}::jsonb end`;
};

/** A dead-lettered event, as failed (unless it was applied meanwhile), so support sees and can replay it. */
export async function recordDeadLetteredEvent(db: Db, event: EventFacts, reason: string) {
  await db
    .insert(stripeEvents)
    .values({
      id: event.id,
      type: event.type,
      createdSec: event.created,
      livemode: event.livemode,
      payload: storedPayload(event),
      objectIds: event.objectIds,
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

/** Back to `received` for a replay: a statement (no row: no such event), for a batch with its audit entry. */
export const reopenEventStatement = (db: Db, eventId: string) =>
  db
    .update(stripeEvents)
    .set({ status: "received", lockedUntil: null, errorCode: null })
    .where(eq(stripeEvents.id, eventId))
    .returning({ payload: stripeEvents.payload, type: stripeEvents.type });

export const selectEventType = (db: Db, eventId: string) =>
  db.select({ type: stripeEvents.type }).from(stripeEvents).where(eq(stripeEvents.id, eventId));

/** An event as support lists show it (GET /admin/events, the console's pages). */
export const eventSummaryColumns = {
  id: stripeEvents.id,
  type: stripeEvents.type,
  createdSec: stripeEvents.createdSec,
  status: stripeEvents.status,
  attempts: stripeEvents.attempts,
  errorCode: stripeEvents.errorCode,
  lastError: stripeEvents.lastError,
  receivedAt: stripeEvents.receivedAt,
};

export function listEvents(db: Db, filter: { status?: EventStatus; limit: number }) {
  return db
    .select({ ...eventSummaryColumns, processedAt: stripeEvents.processedAt })
    .from(stripeEvents)
    .where(filter.status ? eq(stripeEvents.status, filter.status) : undefined)
    .orderBy(desc(stripeEvents.receivedAt))
    .limit(filter.limit);
}

/**
 * Records a queue batch's events (first delivery) and takes a 60 s lease on each, in one statement.
 * Processed or ignored events are `done`; a failed one may be claimed again (replay); one leased by
 * another consumer is `busy`. The outer select sees the table as it was before the insert, so an
 * event another consumer recorded meanwhile shows no status: busy (its retry finds it done or free).
 * Ids must be distinct (one row cannot be claimed twice by one statement).
 */
export async function claimEvents(db: Db, events: EventFacts[]): Promise<Map<string, Claim>> {
  if (events.length === 0) return new Map();
  const claim = db
    .insert(stripeEvents)
    .values(
      events.map((e) => ({
        id: e.id,
        type: e.type,
        createdSec: e.created,
        livemode: e.livemode,
        payload: storedPayload(e),
        objectIds: e.objectIds,
        attempts: 1,
        lockedUntil: LEASE,
      })),
    )
    .onConflictDoUpdate({
      target: stripeEvents.id,
      set: { attempts: sql`${stripeEvents.attempts} + 1`, lockedUntil: LEASE },
      setWhere: sql`${stripeEvents.status} in ('received', 'failed')
        and (${stripeEvents.lockedUntil} is null or ${stripeEvents.lockedUntil} < now())`,
    })
    .returning({ id: stripeEvents.id });
  const ids = JSON.stringify(events.map((e) => e.id));
  const { rows } = await db.execute<{ id: string; claimed: boolean; status: string | null }>(sql`
    with claimed as ${claim}
    select wanted.id, exists (select 1 from claimed where claimed.id = wanted.id) as claimed, known.status
    from jsonb_array_elements_text(${ids}::jsonb) as wanted(id)
    left join ${stripeEvents} as known on known.id = wanted.id`);
  return new Map(
    rows.map((r): [string, Claim] => [
      r.id,
      r.claimed ? "claimed" : r.status === "processed" || r.status === "ignored" ? "done" : "busy",
    ]),
  );
}

/** How a claimed event ends: applied (`processed`/`ignored`), `failed` for good, or `released` for a retry. */
export type EventSettlement =
  | { id: string; status: "processed" | "ignored"; note?: string }
  | { id: string; status: "failed"; code: string; message: string }
  | { id: string; status: "released"; message: string };

/**
 * Records how each claimed event of a batch ended, in one statement: applied (status, time, the
 * handler's note), failed for good (code and message, replayable), or released (status kept, lease
 * given back so the retry can claim it at once; the error kept for support).
 */
export async function settleEvents(db: Db, settlements: EventSettlement[]): Promise<void> {
  if (settlements.length === 0) return;
  const rows = JSON.stringify(
    settlements.map((s) =>
      s.status === "released"
        ? { id: s.id, status: null, error_code: null, last_error: clip(s.message, 500) }
        : s.status === "failed"
          ? { id: s.id, status: "failed", error_code: s.code, last_error: clip(s.message, 500) }
          : { id: s.id, status: s.status, error_code: null, last_error: s.note ?? null },
    ),
  );
  await db.execute(sql`
    update ${stripeEvents} as e set
      status = coalesce(v.status, e.status),
      processed_at = case when v.status in ('processed', 'ignored') then now() else e.processed_at end,
      error_code = case when v.status is null then e.error_code else v.error_code end,
      last_error = v.last_error,
      locked_until = null
    from jsonb_to_recordset(${rows}::jsonb) as v(id text, status text, error_code text, last_error text)
    where e.id = v.id`);
}

/** Retention: an event applied before `appliedBefore` keeps its id, type, status, times and ids, not its payload. */
export const dropAppliedPayloads = (db: Db, appliedBefore: Date) =>
  db
    .update(stripeEvents)
    .set({ payload: null })
    .where(
      and(
        inArray(stripeEvents.status, ["processed", "ignored"]),
        lt(stripeEvents.processedAt, appliedBefore),
        isNotNull(stripeEvents.payload),
      ),
    )
    .returning({ id: stripeEvents.id });

/** `%address%` for ILIKE, with the pattern characters of the address escaped. */
const containing = (address: string) => `%${address.replace(/[\\%_]/g, "\\$&")}%`;

/**
 * Erasure (docs/privacy.md): the payload of every event that names the person, by the Stripe ids it
 * touched or (a guest checkout's) by an address inside it. Id, type, status, times and ids stay.
 */
export const eraseEventPayloads = (db: Db, s: { stripeIds: string[]; emails: string[] }) =>
  db
    .update(stripeEvents)
    .set({ payload: null })
    .where(
      and(
        isNotNull(stripeEvents.payload),
        or(
          sql`${stripeEvents.objectIds} && ${textArray(s.stripeIds)}`,
          s.emails.length > 0
            ? sql`${stripeEvents.payload}::text ilike any (${textArray(s.emails.map(containing))})`
            : undefined,
        ),
      ),
    )
    .returning({ id: stripeEvents.id });
