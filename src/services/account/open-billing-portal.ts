import type { Ctx } from "../../context";
import { findStripeCustomerIdOfUser } from "../../db/queries/customers";
import { NotFoundError } from "../../errors";

/** A Stripe customer portal session for the user's own Stripe customer. */
export async function openBillingPortal(ctx: Ctx, input: { logtoUserId: string }): Promise<{ url: string }> {
  const stripeCustomerId = await findStripeCustomerIdOfUser(ctx.db, input.logtoUserId);
  if (!stripeCustomerId) throw new NotFoundError("no_subscription", "This account has no billing profile yet.");
  return ctx.stripe.createBillingPortalSession(stripeCustomerId, ctx.config.billingPortalReturnUrl);
}
