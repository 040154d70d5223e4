import type { Ctx } from "../../context";
import { findStripeCustomerIdOfUser } from "../../db/queries/customers";
import { findUserSubscription } from "../../db/queries/subscriptions";
import { isHeld, toAccountStatus } from "../../domain/account-status";
import { ConflictError, InvalidInputError, UpstreamRefusedError } from "../../errors";
import type { Interval, Product, Tier } from "../../domain/products";

export interface CheckoutInput {
  logtoUserId: string;
  email?: string;
  product: Product;
  tier: Tier;
  interval: Interval;
}

/** The price's lookup key names what it sells (API.md: `<product>_<tier>[_<interval>]`). */
const priceLookupKey = (i: Pick<CheckoutInput, "product" | "tier" | "interval">) =>
  `${i.product}_${i.tier}_${i.interval}`;

/** A Stripe Checkout Session (subscription mode) the desktop app opens in the browser. Nothing is stored. */
export async function startCheckoutSession(ctx: Ctx, input: CheckoutInput): Promise<{ url: string }> {
  const current = await findUserSubscription(ctx.db, input.logtoUserId, input.product);
  if (current) {
    const status = toAccountStatus({
      stripeStatus: current.stripeStatus,
      currentPeriodEnd: current.currentPeriodEnd,
      licenseRevoked: current.license?.status === "revoked",
      now: ctx.clock.now(),
      graceDays: ctx.config.licenseGraceDays,
    });
    // A second checkout would open a second subscription billed alongside the first.
    if (isHeld(status))
      throw new ConflictError(
        `This account already has a ${input.product} subscription: change it in the billing portal.`,
      );
  }

  const lookupKey = priceLookupKey(input);
  const price = await ctx.stripe.findActivePrice(lookupKey);
  if (!price) {
    ctx.log.warn("checkout: no active price", { lookupKey });
    throw new InvalidInputError("This product, tier and interval are not on sale.", [
      { path: "(body)", message: `no active price with lookup key ${lookupKey}` },
    ]);
  }

  const stripeCustomerId = await findStripeCustomerIdOfUser(ctx.db, input.logtoUserId);
  const metadata = { product: input.product, tier: input.tier, logto_user_id: input.logtoUserId };
  const session = await ctx.stripe.createCheckoutSession({
    mode: "subscription",
    line_items: [{ price: price.id, quantity: 1 }],
    client_reference_id: input.logtoUserId,
    metadata,
    subscription_data: { metadata },
    success_url: ctx.config.checkoutSuccessUrl,
    cancel_url: ctx.config.checkoutCancelUrl,
    ...(stripeCustomerId ? { customer: stripeCustomerId } : input.email ? { customer_email: input.email } : {}),
  });
  if (!session.url) throw new UpstreamRefusedError("The payment provider returned no checkout URL.");
  ctx.log.info("checkout session created", { checkoutSessionId: session.id, lookupKey });
  return { url: session.url };
}
