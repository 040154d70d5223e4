// What the support console reads: one statement or one batch per page (neon-http: one round trip each).
import { and, asc, desc, eq, gte, inArray, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import type { EventStatus } from "../../domain/stripe-event-types";
import type { Db } from "../client";
import {
  activations,
  customers,
  deactivations,
  emailOutbox,
  licenses,
  licenseTokens,
  payments,
  stripeEvents,
  subscriptions,
} from "../schema";
import { selectAuditEntries } from "./audit-log";
import { licenseSummaryColumns } from "./licenses";
import { eventSummaryColumns } from "./stripe-events";

const listColumns = { ...licenseSummaryColumns, createdAt: licenses.createdAt };

/** Stripe's dispute statuses that are over (won, lost, or an inquiry closed). */
const CLOSED_DISPUTES = ["won", "lost", "warning_closed"];

/**
 * Licenses that one typed value names: an email (any case), a license id, a key, a machine id, a
 * Stripe customer, subscription, checkout session, payment intent or charge id, or a dispute id
 * (through the dispute events we applied). One statement.
 */
export function searchLicenses(db: Db, q: string) {
  const term = q.trim();
  const byDispute = /^(dp|du)_/.test(term)
    ? sql`exists (select 1 from ${payments} join ${stripeEvents}
        on ${stripeEvents.payload} -> 'data' -> 'object' ->> 'payment_intent' = ${payments.paymentIntentId}
        where ${payments.licenseId} = ${licenses.id} and ${stripeEvents.payload} -> 'data' -> 'object' ->> 'id' = ${term})`
    : sql`false`;
  return db
    .select(listColumns)
    .from(licenses)
    .where(
      or(
        sql`lower(${licenses.email}) = lower(${term})`,
        eq(licenses.id, term),
        eq(licenses.checkoutSessionId, term),
        sql`exists (select 1 from ${licenseTokens} where ${licenseTokens.licenseId} = ${licenses.id} and ${licenseTokens.key} = ${term})`,
        sql`exists (select 1 from ${activations} where ${activations.licenseId} = ${licenses.id} and ${activations.machineId} = ${term})`,
        sql`exists (select 1 from ${customers} where ${customers.id} = ${licenses.customerId} and ${customers.stripeCustomerId} = ${term})`,
        sql`exists (select 1 from ${subscriptions} where ${subscriptions.id} = ${licenses.subscriptionId} and ${subscriptions.stripeSubscriptionId} = ${term})`,
        sql`exists (select 1 from ${payments} where ${payments.licenseId} = ${licenses.id} and (${payments.paymentIntentId} = ${term} or ${payments.chargeId} = ${term}))`,
        byDispute,
      ),
    )
    .orderBy(desc(licenses.createdAt))
    .limit(50);
}

/** Everything the license page shows, in one batch: standing, keys, machines, money, emails, events, audit. */
export function readLicensePage(db: Db, licenseId: string, deactivationsSince: Date) {
  const subscriptionId = sql`(select ${licenses.subscriptionId} from ${licenses} where ${licenses.id} = ${licenseId})`;
  const stripeIds = sql`(
    select ${licenses.checkoutSessionId} from ${licenses} where ${licenses.id} = ${licenseId}
    union all select ${subscriptions.stripeSubscriptionId} from ${subscriptions} where ${subscriptions.id} = ${subscriptionId}
    union all select ${payments.paymentIntentId} from ${payments} where ${payments.licenseId} = ${licenseId}
    union all select ${payments.chargeId} from ${payments} where ${payments.licenseId} = ${licenseId}
  )`;
  const obj = sql`${stripeEvents.payload} -> 'data' -> 'object'`;
  const countedSince = sql`greatest(${deactivationsSince.toISOString()}::timestamptz,
    coalesce((select ${licenses.deactivationsResetAt} from ${licenses} where ${licenses.id} = ${licenseId}), '-infinity'))`;
  return db.batch([
    db
      .select({ license: licenses, stripeCustomerId: customers.stripeCustomerId })
      .from(licenses)
      .leftJoin(customers, eq(customers.id, licenses.customerId))
      .where(eq(licenses.id, licenseId)),
    db.select().from(subscriptions).where(sql`${subscriptions.id} = ${subscriptionId}`),
    db.select().from(licenseTokens).where(eq(licenseTokens.licenseId, licenseId)).orderBy(desc(licenseTokens.issuedAt)),
    db.select().from(activations).where(eq(activations.licenseId, licenseId)).orderBy(asc(activations.activatedAt)),
    db
      .select({ at: deactivations.deactivatedAt })
      .from(deactivations)
      .where(and(eq(deactivations.licenseId, licenseId), sql`${deactivations.deactivatedAt} > ${countedSince}`))
      .orderBy(asc(deactivations.deactivatedAt)),
    db.select().from(payments).where(eq(payments.licenseId, licenseId)).orderBy(desc(payments.createdAt)),
    db.select().from(emailOutbox).where(eq(emailOutbox.licenseId, licenseId)).orderBy(desc(emailOutbox.createdAt)),
    db
      .select(eventSummaryColumns)
      .from(stripeEvents)
      .where(
        or(
          sql`${obj} ->> 'id' in ${stripeIds}`,
          sql`${obj} ->> 'subscription' in ${stripeIds}`,
          sql`${obj} ->> 'payment_intent' in ${stripeIds}`,
        ),
      )
      .orderBy(desc(stripeEvents.createdSec))
      .limit(100),
    selectAuditEntries(db, { target: licenseId, limit: 100 }),
  ]);
}

/** What needs a person now, in one batch. */
export function readAttention(db: Db) {
  return db.batch([
    db
      .select(eventSummaryColumns)
      .from(stripeEvents)
      .where(eq(stripeEvents.status, "failed"))
      .orderBy(desc(stripeEvents.receivedAt))
      .limit(100),
    db
      .select({
        id: emailOutbox.id,
        licenseId: emailOutbox.licenseId,
        kind: emailOutbox.kind,
        attempts: emailOutbox.attempts,
        lastError: emailOutbox.lastError,
        createdAt: emailOutbox.createdAt,
      })
      .from(emailOutbox)
      .where(
        and(
          isNull(emailOutbox.sentAt),
          or(sql`${emailOutbox.attempts} > 0`, lt(emailOutbox.createdAt, sql`now() - interval '15 minutes'`)),
        ),
      )
      .orderBy(desc(emailOutbox.createdAt))
      .limit(100),
    db
      .select({
        paymentIntentId: payments.paymentIntentId,
        licenseId: payments.licenseId,
        status: payments.disputeStatus,
      })
      .from(payments)
      .where(and(sql`${payments.disputeStatus} is not null`, notInArray(payments.disputeStatus, CLOSED_DISPUTES)))
      .limit(100),
    db
      .select({ stripeSubscriptionId: subscriptions.stripeSubscriptionId, licenseId: licenses.id })
      .from(subscriptions)
      .leftJoin(licenses, eq(licenses.subscriptionId, subscriptions.id))
      .where(eq(subscriptions.status, "past_due"))
      .limit(100),
    db
      .select(listColumns)
      .from(licenses)
      .where(eq(licenses.status, "suspended"))
      .orderBy(desc(licenses.updatedAt))
      .limit(100),
  ]);
}

export interface EventFilter {
  type?: string;
  status?: EventStatus;
  /** Stripe's `created`, inclusive bounds. */
  from?: Date;
  to?: Date;
}

export function filterEvents(db: Db, f: EventFilter) {
  const sec = (d: Date) => Math.floor(d.getTime() / 1000);
  return db
    .select(eventSummaryColumns)
    .from(stripeEvents)
    .where(
      and(
        f.type ? eq(stripeEvents.type, f.type) : undefined,
        f.status ? inArray(stripeEvents.status, [f.status]) : undefined,
        f.from ? gte(stripeEvents.createdSec, sec(f.from)) : undefined,
        f.to ? lt(stripeEvents.createdSec, sec(f.to)) : undefined,
      ),
    )
    .orderBy(desc(stripeEvents.createdSec))
    .limit(200);
}
