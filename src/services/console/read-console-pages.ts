import type { Ctx } from "../../context";
import {
  type EventFilter,
  filterEvents,
  readAttention,
  readLicensePage,
  searchLicenses,
} from "../../db/queries/console-views";
import { NotFoundError } from "../../errors";
import { addDays } from "../../lib/clock";
import { DEACTIVATION_WINDOW_DAYS } from "../licenses/deactivate-machine";
import { readAuditLog } from "../admin/audit";

export type { EventFilter };

/** The console's search box: every kind of id support is handed, or an email. */
export const searchForLicenses = (ctx: Ctx, input: { q: string }) => searchLicenses(ctx.db, input.q);

/** The license page, one round trip; not_found when there is no such license. */
export async function readLicenseDossier(ctx: Ctx, input: { id: string }) {
  const now = ctx.clock.now();
  const [[head], [subscription], tokens, machines, counted, payments, emails, events, audit] = await readLicensePage(
    ctx.db,
    input.id,
    addDays(now, -DEACTIVATION_WINDOW_DAYS),
  );
  if (!head) throw new NotFoundError("not_found", `No license ${input.id}.`);
  const limit = ctx.config.deactivationLimit;
  const oldest = counted[0]?.at;
  return {
    license: head.license,
    stripeCustomerId: head.stripeCustomerId,
    subscription: subscription ?? null,
    tokens,
    machines,
    /** Seats this license has: its own limit, else the service's ACTIVATION_LIMIT (as activation counts them). */
    seats: head.license.maxMachines ?? ctx.config.activationLimit,
    deactivations: {
      limit,
      left: Math.max(0, limit - counted.length),
      /** When the oldest counted deactivation leaves the 30-day window (a seat move frees up). */
      nextFreesAt: oldest ? addDays(oldest, DEACTIVATION_WINDOW_DAYS) : null,
    },
    payments,
    emails,
    events,
    audit,
  };
}

export type LicenseDossier = Awaited<ReturnType<typeof readLicenseDossier>>;

export async function readAttentionList(ctx: Ctx) {
  const [failedEvents, undeliveredEmails, openDisputes, pastDue, suspended] = await readAttention(ctx.db);
  return { failedEvents, undeliveredEmails, openDisputes, pastDue, suspended };
}

export const readEventLog = (ctx: Ctx, filter: EventFilter) => filterEvents(ctx.db, filter);

export const readAuditTrail = (ctx: Ctx, input: { target?: string }) => readAuditLog(ctx, { ...input, limit: 200 });
