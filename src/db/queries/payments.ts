import { and, eq, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { payments } from "../schema";
import { licenseIdOfStripeSubscription } from "./licenses";

export type PaymentRow = typeof payments.$inferSelect;

export interface PaymentFacts {
  paymentIntentId: string;
  licenseId?: string | null;
  stripeSubscriptionId?: string | null;
  checkoutSessionId?: string | null;
  chargeId?: string | null;
  amountRefunded?: number | null;
  fullyRefunded?: boolean;
  /** The charge's dispute as an event says it; `disputeClosedSec` is the close event's `created`. */
  disputeStatus?: string | null;
  disputeClosedSec?: number | null;
  /** No license given: take the one of `stripeSubscriptionId`, if any, in the same statement. */
  licenseOfSubscription?: boolean;
}

/** Keeps what we knew, fills what we did not (`excluded` is the row the insert proposed). */
const keepOrFill = (column: string) =>
  sql`coalesce(${sql.identifier("payments")}.${sql.identifier(column)}, excluded.${sql.identifier(column)})`;

/**
 * The one way a payment is written, from whichever side speaks first (checkout, invoice, refund,
 * dispute): links are kept once known and filled when learnt; the refunded amount only grows; the
 * first full refund's time stays; once a dispute is closed, a late `created` never reopens it.
 * Returns the links as stored, so a refund learns what the payment paid for in the same round trip.
 */
export async function recordPayment(
  db: Db,
  facts: PaymentFacts,
): Promise<{ licenseId: string | null; stripeSubscriptionId: string | null }> {
  const [stored] = await db
    .insert(payments)
    .values({
      paymentIntentId: facts.paymentIntentId,
      licenseId:
        facts.licenseId ??
        (facts.licenseOfSubscription && facts.stripeSubscriptionId
          ? sql`(${licenseIdOfStripeSubscription(db, facts.stripeSubscriptionId)})`
          : null),
      stripeSubscriptionId: facts.stripeSubscriptionId ?? null,
      checkoutSessionId: facts.checkoutSessionId ?? null,
      chargeId: facts.chargeId ?? null,
      amountRefunded: facts.amountRefunded ?? null,
      fullyRefundedAt: facts.fullyRefunded ? sql`now()` : null,
      disputeStatus: facts.disputeStatus ?? null,
      disputeClosedSec: facts.disputeClosedSec ?? null,
    })
    .onConflictDoUpdate({
      target: payments.paymentIntentId,
      set: {
        licenseId: keepOrFill("license_id"),
        stripeSubscriptionId: keepOrFill("stripe_subscription_id"),
        checkoutSessionId: keepOrFill("checkout_session_id"),
        chargeId: keepOrFill("charge_id"),
        amountRefunded: sql`greatest(${payments.amountRefunded}, excluded.amount_refunded)`,
        fullyRefundedAt: keepOrFill("fully_refunded_at"),
        disputeStatus: sql`case
          when excluded.dispute_status is null then ${payments.disputeStatus}
          when ${payments.disputeClosedSec} is null or excluded.dispute_closed_sec is not null then excluded.dispute_status
          else ${payments.disputeStatus} end`,
        disputeClosedSec: sql`greatest(${payments.disputeClosedSec}, excluded.dispute_closed_sec)`,
      },
    })
    .returning({ licenseId: payments.licenseId, stripeSubscriptionId: payments.stripeSubscriptionId });
  return { licenseId: stored?.licenseId ?? null, stripeSubscriptionId: stored?.stripeSubscriptionId ?? null };
}

export async function findPayment(db: Db, paymentIntentId: string): Promise<PaymentRow | null> {
  const [row] = await db.select().from(payments).where(eq(payments.paymentIntentId, paymentIntentId));
  return row ?? null;
}

/**
 * Full refunds recorded before the license they refund existed (Stripe guarantees no order):
 * links them to it; a row back for each (a statement for the checkout's batch).
 */
export function claimEarlierRefunds(
  db: Db,
  licenseId: string,
  keys: { paymentIntentId: string | null; stripeSubscriptionId: string | null; checkoutSessionId: string },
) {
  const matches: SQL[] = [eq(payments.checkoutSessionId, keys.checkoutSessionId)];
  if (keys.paymentIntentId) matches.push(eq(payments.paymentIntentId, keys.paymentIntentId));
  if (keys.stripeSubscriptionId) matches.push(eq(payments.stripeSubscriptionId, keys.stripeSubscriptionId));
  return db
    .update(payments)
    .set({ licenseId: sql`coalesce(${payments.licenseId}, ${licenseId})` })
    .where(and(isNotNull(payments.fullyRefundedAt), or(...matches)))
    .returning({ paymentIntentId: payments.paymentIntentId });
}

/**
 * Invoices paid before the license existed recorded their payments by subscription only: link them
 * (a statement for the checkout's batch; no subscription, nothing to link).
 */
export const linkSubscriptionPayments = (db: Db, stripeSubscriptionId: string | null, licenseId: string) =>
  db
    .update(payments)
    .set({ licenseId })
    .where(
      and(
        stripeSubscriptionId ? eq(payments.stripeSubscriptionId, stripeSubscriptionId) : sql`false`,
        isNull(payments.licenseId),
      ),
    );
