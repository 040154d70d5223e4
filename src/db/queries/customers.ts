import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { newId } from "../../lib/ids";
import type { Db } from "../client";
import { customers } from "../schema";
import { required } from "../../lib/required";

export interface CustomerFacts {
  stripeCustomerId?: string | null;
  email?: string | null;
  logtoUserId?: string | null;
}

/**
 * Finds or creates the customer behind a Stripe customer id or a Logto user, filling what we learn
 * (email, Logto user) without overwriting what we knew. Idempotent per Stripe customer. With
 * neither id there is no one to find again (a guest one-time purchase): null, and the license
 * carries the email.
 */
export async function upsertCustomer(db: Db, facts: CustomerFacts): Promise<string | null> {
  const values = { id: newId("cst"), email: facts.email ?? null };
  if (facts.stripeCustomerId) {
    // A second Stripe customer of the same Logto user gets its own row, linked to the user too, so
    // /subscriptions/status and the double-checkout guard see its subscriptions.
    const [row] = await db
      .insert(customers)
      .values({ ...values, stripeCustomerId: facts.stripeCustomerId, logtoUserId: facts.logtoUserId ?? null })
      .onConflictDoUpdate({
        target: customers.stripeCustomerId,
        set: {
          // An erased customer stays erased: a later event for them does not bring the address back.
          email: sql`case when ${customers.erasedAt} is null then coalesce(excluded.email, ${customers.email}) end`,
          logtoUserId: sql`coalesce(${customers.logtoUserId}, excluded.logto_user_id)`,
          updatedAt: sql`now()`,
        },
      })
      .returning({ id: customers.id });
    return required(row, "the upserted customer").id;
  }
  if (facts.logtoUserId) {
    const [known] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.logtoUserId, facts.logtoUserId))
      .orderBy(customers.createdAt)
      .limit(1);
    if (known) {
      await db
        .update(customers)
        .set({
          email: sql`case when ${customers.erasedAt} is null then coalesce(${customers.email}, ${values.email}) end`,
          updatedAt: sql`now()`,
        })
        .where(eq(customers.id, known.id));
      return known.id;
    }
    const [row] = await db
      .insert(customers)
      .values({ ...values, logtoUserId: facts.logtoUserId })
      .returning({ id: customers.id });
    return required(row, "the upserted customer").id;
  }
  return null;
}

/** A user may have several Stripe customers (schema/customers.ts): the first one they had. */
export async function findStripeCustomerIdOfUser(db: Db, logtoUserId: string): Promise<string | null> {
  const [customer] = await db
    .select({ stripeCustomerId: customers.stripeCustomerId })
    .from(customers)
    .where(and(eq(customers.logtoUserId, logtoUserId), isNotNull(customers.stripeCustomerId)))
    .orderBy(customers.createdAt)
    .limit(1);
  return customer?.stripeCustomerId ?? null;
}

/** Erasure (docs/privacy.md): the address goes, and the mark that keeps later events from bringing it back. */
export const eraseCustomers = (db: Db, customerIds: string[], now: Date) =>
  db
    .update(customers)
    .set({ email: null, erasedAt: now, updatedAt: now })
    .where(inArray(customers.id, customerIds))
    .returning({ id: customers.id });
