import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { productOfMetadata, productOfPrice, type ProductTier } from "../../integrations/stripe/payload";

/** Session metadata (set when we create the session) → line items' price/product metadata → lookup_key. */
export async function resolveCheckoutProduct(ctx: Ctx, session: Stripe.Checkout.Session): Promise<ProductTier | null> {
  const direct = productOfMetadata(session.metadata);
  if (direct) return direct;
  for (const item of await ctx.stripe.listCheckoutLineItems(session.id)) {
    const found = productOfPrice(item.price);
    if (found) return found;
  }
  return null;
}

/**
 * The items' prices first (an upgrade in the customer portal changes the price, not the metadata
 * copied at checkout), then the subscription's metadata, then the prices re-read with products.
 */
export async function resolveSubscriptionProduct(ctx: Ctx, sub: Stripe.Subscription): Promise<ProductTier | null> {
  const direct = firstOf(sub.items?.data.map((i) => productOfPrice(i.price))) ?? productOfMetadata(sub.metadata);
  if (direct) return direct;
  const priceIds = (sub.items?.data ?? []).map((i) => i.price?.id).filter((id): id is string => !!id);
  for (const id of priceIds) {
    const found = productOfPrice(await ctx.stripe.retrievePriceWithProduct(id));
    if (found) return found;
  }
  return null;
}

const firstOf = <T>(values: (T | null)[] | undefined): T | null => values?.find((v) => v !== null) ?? null;
