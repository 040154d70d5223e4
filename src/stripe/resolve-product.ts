import type Stripe from "stripe";
import type { Ctx } from "../context";
import { isProduct, isTier, type Product, type Tier } from "../domain/products";

export interface ProductTier {
  product: Product;
  tier: Tier;
}

type Metadata = Stripe.Metadata | null | undefined;

export function fromMetadata(metadata: Metadata): ProductTier | null {
  const product = metadata?.product;
  const tier = metadata?.tier?.toLowerCase();
  return isProduct(product) && isTier(tier) ? { product, tier } : null;
}

/** `<product>_<tier>[_<interval>]`, e.g. `simpl-resultat_premium_year`. */
export function fromLookupKey(lookupKey: string | null | undefined): ProductTier | null {
  const [product, tier] = (lookupKey ?? "").split("_");
  return isProduct(product) && isTier(tier) ? { product, tier } : null;
}

/** Price metadata, then its product's metadata (when expanded), then the price's lookup_key. */
export function fromPrice(price: Stripe.Price | null | undefined): ProductTier | null {
  if (!price) return null;
  const product = typeof price.product === "object" && price.product && !("deleted" in price.product) ? price.product : null;
  return fromMetadata(price.metadata) ?? fromMetadata(product?.metadata) ?? fromLookupKey(price.lookup_key);
}

/** Session metadata (set when we create the session) → line items' price/product metadata → lookup_key. */
export async function resolveCheckoutProduct(ctx: Ctx, session: Stripe.Checkout.Session): Promise<ProductTier | null> {
  const direct = fromMetadata(session.metadata);
  if (direct) return direct;
  const items = await ctx.stripe.checkout.sessions.listLineItems(session.id, { expand: ["data.price.product"], limit: 10 });
  for (const item of items.data) {
    const found = fromPrice(item.price);
    if (found) return found;
  }
  return null;
}

/**
 * The items' prices first (an upgrade in the customer portal changes the price, not the metadata
 * copied at checkout), then the subscription's metadata, then the prices re-read with products.
 */
export async function resolveSubscriptionProduct(ctx: Ctx, sub: Stripe.Subscription): Promise<ProductTier | null> {
  const direct = firstOf(sub.items?.data.map((i) => fromPrice(i.price))) ?? fromMetadata(sub.metadata);
  if (direct) return direct;
  const priceIds = (sub.items?.data ?? []).map((i) => i.price?.id).filter((id): id is string => !!id);
  for (const id of priceIds) {
    const found = fromPrice(await ctx.stripe.prices.retrieve(id, { expand: ["product"] }));
    if (found) return found;
  }
  return null;
}

const firstOf = <T>(values: (T | null)[] | undefined): T | null => values?.find((v) => v !== null) ?? null;
