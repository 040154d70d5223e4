import { eq, sql } from "drizzle-orm";
import { newId } from "../../lib/ids";
import type { Db } from "../client";
import { isUniqueViolation } from "../errors";
import { customers } from "../schema";

export interface CustomerFacts {
  stripeCustomerId?: string | null;
  email?: string | null;
  logtoUserId?: string | null;
}

/** Keeps what we knew, fills what we did not (`excluded` is the row the insert proposed). */
const keepOrFill = (column: typeof customers.email | typeof customers.logtoUserId, dbName: "email" | "logto_user_id") =>
  sql`coalesce(${column}, excluded.${sql.identifier(dbName)})`;

/**
 * Finds or creates the customer behind a Stripe customer id or a Logto user, filling what we learn
 * (email, Logto user) without overwriting what we knew. Idempotent; safe under concurrency. With
 * neither id there is no one to find again (a guest one-time purchase): null, and the license
 * carries the email.
 */
export async function upsertCustomer(db: Db, facts: CustomerFacts): Promise<string | null> {
  const values = { id: newId("cst"), email: facts.email ?? null };
  if (facts.stripeCustomerId) {
    try {
      return await upsertByStripeId(db, { ...values, stripeCustomerId: facts.stripeCustomerId, logtoUserId: facts.logtoUserId ?? null });
    } catch (err) {
      // The Logto user already has another customer row (a second Stripe customer): link by Stripe id only.
      if (!isUniqueViolation(err) || !facts.logtoUserId) throw err;
      return upsertByStripeId(db, { ...values, stripeCustomerId: facts.stripeCustomerId, logtoUserId: null });
    }
  }
  if (facts.logtoUserId) {
    const [row] = await db
      .insert(customers)
      .values({ ...values, logtoUserId: facts.logtoUserId })
      .onConflictDoUpdate({ target: customers.logtoUserId, set: { email: keepOrFill(customers.email, "email"), updatedAt: sql`now()` } })
      .returning({ id: customers.id });
    return row!.id;
  }
  return null;
}

async function upsertByStripeId(db: Db, values: typeof customers.$inferInsert): Promise<string> {
  const [row] = await db
    .insert(customers)
    .values(values)
    .onConflictDoUpdate({
      target: customers.stripeCustomerId,
      set: {
        email: sql`coalesce(excluded.email, ${customers.email})`,
        logtoUserId: keepOrFill(customers.logtoUserId, "logto_user_id"),
        updatedAt: sql`now()`,
      },
    })
    .returning({ id: customers.id });
  return row!.id;
}

export async function findStripeCustomerIdOfUser(db: Db, logtoUserId: string): Promise<string | null> {
  const [customer] = await db.select({ stripeCustomerId: customers.stripeCustomerId }).from(customers).where(eq(customers.logtoUserId, logtoUserId));
  return customer?.stripeCustomerId ?? null;
}
