import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { claimEvents, settleEvents, type EventSettlement } from "../../db/queries/stripe-events";
import { BusyError, PermanentEventError } from "../../errors";
import { objectIdsOfEvent, orderingKeyOf } from "../../integrations/stripe/payload";
import { errorMessage } from "../../lib/logger";
import { sendEmailsNow } from "../email/send-outbox-email";
import { applyStripeEvent } from "./apply-event";

/** What became of one event: applied (the outcome to log), or to be retried with this error. */
export type EventFate = { applied: string } | { retry: unknown };

/**
 * A Worker has at most 6 connections open at once; more concurrent groups would only queue behind
 * them while holding their events' leases.
 */
const CONCURRENT_GROUPS = 6;

/**
 * An email an event produced is sent by the same invocation as soon as the event is applied (a
 * queue hop and a whole invocation sooner); this delayed job only finds it sent, unless that send
 * failed or the invocation died, and then it is the retry.
 */
const EMAIL_SAFETY_NET_DELAY_SEC = 60;

/**
 * The event log workflow for a batch of distinct events: claim them all in one statement (dedupe
 * and a 60 s lease), apply the claimed ones (one customer's in order, different customers' at
 * once), queue the emails they produced, and record every outcome in one statement. A permanent
 * failure is recorded and answered; anything else gives the lease back and comes back as a retry.
 */
export async function processStripeEvents(
  ctx: Ctx,
  events: Stripe.Event[],
  logFor: (event: Stripe.Event) => Ctx["log"],
): Promise<Map<string, EventFate>> {
  const fates = new Map<string, EventFate>();
  const sending: Promise<void>[] = [];
  const claims = await claimEvents(
    ctx.db,
    events.map((e) => ({
      id: e.id,
      type: e.type,
      created: e.created,
      livemode: e.livemode,
      payload: e,
      objectIds: objectIdsOfEvent(e),
    })),
  );
  const groups = new Map<string, Stripe.Event[]>();
  for (const event of events) {
    const claim = claims.get(event.id) ?? "busy";
    if (claim === "done") fates.set(event.id, { applied: "duplicate" });
    else if (claim === "busy")
      fates.set(event.id, { retry: new BusyError(`event ${event.id} is being applied by another consumer`) });
    else groups.set(orderingKeyOf(event), [...(groups.get(orderingKeyOf(event)) ?? []), event]);
  }

  const settlements: EventSettlement[] = [];
  const applyInOrder = async (group: Stripe.Event[]) => {
    for (const event of group) {
      const eventCtx = { ...ctx, log: logFor(event) };
      try {
        const result = await applyStripeEvent(eventCtx, event);
        // The job makes the email durable before the event counts as done; the send starts right away.
        for (const outboxId of result.emails ?? []) await ctx.jobs.enqueueEmail(outboxId, EMAIL_SAFETY_NET_DELAY_SEC);
        if (result.emails?.length) sending.push(sendEmailsNow(eventCtx, result.emails));
        settlements.push({ id: event.id, status: result.outcome, note: result.note });
        fates.set(event.id, { applied: result.outcome });
      } catch (err) {
        if (err instanceof PermanentEventError) {
          settlements.push({ id: event.id, status: "failed", code: err.code, message: err.message });
          eventCtx.log.error("stripe event failed", { code: err.code, error: err.message });
          fates.set(event.id, { applied: `failed:${err.code}` });
        } else {
          settlements.push({ id: event.id, status: "released", message: errorMessage(err) });
          fates.set(event.id, { retry: err });
        }
      }
    }
  };
  const queue = [...groups.values()];
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENT_GROUPS, queue.length) }, async () => {
      for (let group = queue.shift(); group; group = queue.shift()) await applyInOrder(group);
    }),
  );

  try {
    await settleEvents(ctx.db, settlements);
  } catch (err) {
    // Not recorded: the leases run out and the retries apply the events again (each handler is idempotent).
    for (const s of settlements) fates.set(s.id, { retry: err });
  }
  await Promise.all(sending);
  return fates;
}
