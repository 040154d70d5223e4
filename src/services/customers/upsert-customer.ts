import { eq, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { customers } from "../../db/schema";
import { newId } from "../../lib/ids";

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
 * (email, Logto user) without overwriting what we knew. Idempotent per Stripe customer. With
 * neither id there is no one to find again (a guest one-time purchase): null, and the license
 * carries the email.
 */
export async function upsertCustomer(ctx: Ctx, facts: CustomerFacts): Promise<string | null> {
  const values = { id: newId("cst"), email: facts.email ?? null };
  if (facts.stripeCustomerId) {
    // A second Stripe customer of the same Logto user gets its own row, linked to the user too, so
    // /subscriptions/status and the double-checkout guard see its subscriptions.
    return upsertByStripeId(ctx, { ...values, stripeCustomerId: facts.stripeCustomerId, logtoUserId: facts.logtoUserId ?? null });
  }
  if (facts.logtoUserId) {
    const [known] = await ctx.db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.logtoUserId, facts.logtoUserId))
      .orderBy(customers.createdAt)
      .limit(1);
    if (known) {
      await ctx.db.update(customers).set({ email: sql`coalesce(${customers.email}, ${values.email})`, updatedAt: sql`now()` }).where(eq(customers.id, known.id));
      return known.id;
    }
    const [row] = await ctx.db.insert(customers).values({ ...values, logtoUserId: facts.logtoUserId }).returning({ id: customers.id });
    return row!.id;
  }
  return null;
}

async function upsertByStripeId(ctx: Ctx, values: typeof customers.$inferInsert): Promise<string> {
  const [row] = await ctx.db
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
