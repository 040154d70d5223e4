import { and, eq, isNotNull } from "drizzle-orm";
import type { Ctx } from "../../context";
import { customers } from "../../db/schema";
import { AppError } from "../../errors";
import { callStripe } from "../../stripe/api-errors";

/** A Stripe customer portal session for the user's own Stripe customer. */
export async function createBillingPortalSession({ ctx, input }: { ctx: Ctx; input: { logtoUserId: string } }): Promise<{ url: string }> {
  const [customer] = await ctx.db
    .select({ stripeCustomerId: customers.stripeCustomerId })
    .from(customers)
    // A user may have several Stripe customers (customers.ts): the first one they had.
    .where(and(eq(customers.logtoUserId, input.logtoUserId), isNotNull(customers.stripeCustomerId)))
    .orderBy(customers.createdAt)
    .limit(1);
  if (!customer?.stripeCustomerId) throw new AppError("no_subscription", "This account has no billing profile yet.");
  const session = await callStripe(ctx.log, "billingPortal.sessions.create", () =>
    ctx.stripe.billingPortal.sessions.create({ customer: customer.stripeCustomerId!, return_url: ctx.config.billingPortalReturnUrl }),
  );
  return { url: session.url };
}
