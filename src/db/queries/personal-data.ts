import { textArray } from "../text-array";
import { desc, inArray, or, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "../client";
import { pickColumns } from "../pick-columns";
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
import { licenseSummaryColumns } from "./licenses";

/** Whom an erasure or an access request is about: our ids, their addresses, and the Stripe ids that point at them. */
export interface DataSubject {
  customerIds: string[];
  licenseIds: string[];
  /** Lower-cased. */
  emails: string[];
  stripeIds: string[];
}

/**
 * The person behind an address, a customer id (ours, `cst_...`, or Stripe's, `cus_...`) or a Logto user: their
 * customers, the licenses bought with the address or by those customers, and every Stripe id
 * (customer, subscription, payment intent, charge, checkout session) that names them. One statement.
 */
export async function selectDataSubject(
  db: Db,
  who: { email?: string; customerId?: string; logtoUserId?: string },
): Promise<DataSubject> {
  const email = who.email?.trim().toLowerCase() ?? null;
  const customerId = who.customerId ?? null;
  const logtoUserId = who.logtoUserId ?? null;
  const { rows } = await db.execute<{
    customer_ids: string[];
    license_ids: string[];
    emails: string[];
    stripe_ids: string[];
  }>(sql`
    with sc as (
      select id, stripe_customer_id, email from ${customers}
      where lower(email) = ${email} or id = ${customerId} or stripe_customer_id = ${customerId}
        or logto_user_id = ${logtoUserId}
    ),
    ss as (
      select id, stripe_subscription_id from ${subscriptions} where customer_id in (select id from sc)
    ),
    sl as (
      select id, email, checkout_session_id, subscription_id from ${licenses}
      where lower(email) = ${email} or customer_id in (select id from sc) or subscription_id in (select id from ss)
    ),
    ids as (
      select stripe_customer_id as id from sc
      union select stripe_subscription_id from ss
      union select s.stripe_subscription_id from ${subscriptions} s where s.id in (select subscription_id from sl)
      union select checkout_session_id from sl
      union select payment_intent_id from ${payments} where license_id in (select id from sl)
      union select charge_id from ${payments} where license_id in (select id from sl)
    ),
    addresses as (
      select lower(email) as email from sc union select lower(email) from sl union select ${email}
    )
    select
      (select coalesce(array_agg(id order by id), '{}') from sc) as customer_ids,
      (select coalesce(array_agg(id order by id), '{}') from sl) as license_ids,
      (select coalesce(array_agg(email order by email), '{}') from addresses where email is not null) as emails,
      (select coalesce(array_agg(id order by id), '{}') from ids where id is not null) as stripe_ids`);
  const [row] = rows;
  return {
    customerIds: row?.customer_ids ?? [],
    licenseIds: row?.license_ids ?? [],
    emails: row?.emails ?? [],
    stripeIds: row?.stripe_ids ?? [],
  };
}

const emailsOf = (s: DataSubject) =>
  or(inArray(emailOutbox.licenseId, s.licenseIds), sql`lower(${emailOutbox.toEmail}) = any(${textArray(s.emails)})`);

/** Everything we hold about the subject, for GET /account/data: one batch of reads. */
export function selectPersonalData(db: Db, s: DataSubject) {
  /** Some columns of the rows of `table` that belong to the subject's licenses. */
  const ofTheirLicenses = <T extends PgTable & { licenseId: AnyPgColumn }, K extends keyof T["_"]["columns"] & string>(
    table: T,
    names: readonly K[],
  ) =>
    db
      .select(pickColumns(table, ...names))
      .from(table as PgTable) // the rows' type is the picked columns'; drizzle cannot check a generic table here
      .where(inArray(table.licenseId, s.licenseIds));
  return [
    db
      .select(pickColumns(customers, "id", "email", "stripeCustomerId", "createdAt"))
      .from(customers)
      .where(inArray(customers.id, s.customerIds))
      .orderBy(customers.createdAt),
    db
      .select({ ...licenseSummaryColumns, createdAt: licenses.createdAt })
      .from(licenses)
      .where(inArray(licenses.id, s.licenseIds))
      .orderBy(desc(licenses.createdAt)),
    ofTheirLicenses(licenseTokens, ["licenseId", "key", "tier", "issuedAt", "expiresAt"]).orderBy(
      licenseTokens.issuedAt,
    ),
    ofTheirLicenses(activations, [
      "licenseId",
      "machineId",
      "machineName",
      "platform",
      "appVersion",
      "activatedAt",
      "lastSeenAt",
      "jkt",
    ]).orderBy(activations.activatedAt),
    ofTheirLicenses(deactivations, ["licenseId", "machineId", "deactivatedAt"]).orderBy(deactivations.deactivatedAt),
    ofTheirLicenses(payments, [
      "paymentIntentId",
      "licenseId",
      "chargeId",
      "amountRefunded",
      "fullyRefundedAt",
      "disputeStatus",
      "createdAt",
    ]).orderBy(payments.createdAt),
    db
      .select(pickColumns(emailOutbox, "kind", "licenseId", "toEmail", "subject", "createdAt", "sentAt"))
      .from(emailOutbox)
      .where(emailsOf(s))
      .orderBy(emailOutbox.createdAt),
    db
      .select(pickColumns(stripeEvents, "id", "type", "createdSec", "status"))
      .from(stripeEvents)
      .where(sql`${stripeEvents.objectIds} && ${textArray(s.stripeIds)}`)
      .orderBy(stripeEvents.createdSec)
      .limit(1000),
  ] as const;
}
