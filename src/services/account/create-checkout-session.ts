import { and, eq, isNotNull } from "drizzle-orm";
import type { Ctx } from "../../context";
import { customers } from "../../db/schema";
import { isHeld, toAccountStatus } from "../../domain/account-status";
import type { Interval, Product, Tier } from "../../domain/products";
import { AppError } from "../../errors";
import { callStripe } from "../../stripe/api-errors";
import { findUserSubscription } from "./find-user-subscription";

export interface CheckoutInput {
  logtoUserId: string;
  email?: string;
  product: Product;
  tier: Tier;
  interval: Interval;
}

/** The price's lookup key names what it sells (API.md: `<product>_<tier>[_<interval>]`). */
export const priceLookupKey = (i: Pick<CheckoutInput, "product" | "tier" | "interval">) => `${i.product}_${i.tier}_${i.interval}`;

/** A Stripe Checkout Session (subscription mode) the desktop app opens in the browser. Nothing is stored. */
export async function createCheckoutSession({ ctx, input }: { ctx: Ctx; input: CheckoutInput }): Promise<{ url: string }> {
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
    if (isHeld(status)) {
      throw new AppError("conflict", `This account already has a ${input.product} subscription: change it in the billing portal.`);
    }
  }

  const lookupKey = priceLookupKey(input);
  const prices = await callStripe(ctx.log, "prices.list", () =>
    ctx.stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 }),
  );
  const price = prices.data[0];
  if (!price) {
    ctx.log.warn("checkout: no active price", { lookupKey });
    throw new AppError("validation_failed", "This product, tier and interval are not on sale.", {
      extra: { errors: [{ path: "(body)", message: `no active price with lookup key ${lookupKey}` }] },
    });
  }

  const [customer] = await ctx.db
    .select({ stripeCustomerId: customers.stripeCustomerId })
    .from(customers)
    // A user may have several Stripe customers (customers.ts): the first one they had.
    .where(and(eq(customers.logtoUserId, input.logtoUserId), isNotNull(customers.stripeCustomerId)))
    .orderBy(customers.createdAt)
    .limit(1);
  const metadata = { product: input.product, tier: input.tier, logto_user_id: input.logtoUserId };
  const session = await callStripe(ctx.log, "checkout.sessions.create", () =>
    ctx.stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: price.id, quantity: 1 }],
      client_reference_id: input.logtoUserId,
      metadata,
      subscription_data: { metadata },
      success_url: ctx.config.checkoutSuccessUrl,
      cancel_url: ctx.config.checkoutCancelUrl,
      ...(customer?.stripeCustomerId
        ? { customer: customer.stripeCustomerId }
        : input.email
          ? { customer_email: input.email }
          : {}),
    }),
  );
  if (!session.url) throw new AppError("bad_gateway", "The payment provider returned no checkout URL.");
  ctx.log.info("checkout session created", { checkoutSessionId: session.id, lookupKey });
  return { url: session.url };
}
