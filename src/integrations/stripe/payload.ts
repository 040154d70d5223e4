import type Stripe from "stripe";
import { isProduct, isTier, type Product, type Tier } from "../../domain/products";
import { fromSec } from "../../lib/clock";

// Readers of Stripe payloads: what a field means in the API version we pin, in one place.

/** A Stripe reference as the payload gives it: an id, an expanded object, or nothing. */
export const idOf = (v: string | { id: string } | null | undefined): string | null =>
  typeof v === "string" ? v : (v?.id ?? null);

/** The billing period lives on the items since the 2025 API versions. */
export function periodEndOf(sub: Stripe.Subscription): Date | null {
  const ends = (sub.items?.data ?? [])
    .map((i) => i.current_period_end)
    .filter((n): n is number => typeof n === "number");
  return ends.length ? fromSec(Math.max(...ends)) : null;
}

/** The end of the service period an invoice paid for: its subscription lines' `period.end`. */
export function paidPeriodEnd(invoice: Stripe.Invoice): Date | null {
  const ends = (invoice.lines?.data ?? [])
    .filter(
      (line) =>
        line.parent?.subscription_item_details || line.parent?.type === "subscription_item_details" || !line.parent,
    )
    .map((line) => line.period?.end)
    .filter((n): n is number => typeof n === "number");
  return ends.length ? fromSec(Math.max(...ends)) : null;
}

/** The subscription an invoice bills (since 2025 under `parent.subscription_details`). */
export const subscriptionOfInvoice = (invoice: Stripe.Invoice) =>
  idOf(invoice.parent?.subscription_details?.subscription);

/** The payment intents that paid an invoice, when the payload carries `invoice.payments` (expanded). */
export const paymentIntentsOfInvoice = (invoice: Stripe.Invoice) =>
  (invoice.payments?.data ?? []).map((p) => idOf(p.payment?.payment_intent)).filter((id): id is string => !!id);

export interface ProductTier {
  product: Product;
  tier: Tier;
}

type Metadata = Stripe.Metadata | null | undefined;

/** `product` and `tier` as our checkout writes them into metadata. */
export function productOfMetadata(metadata: Metadata): ProductTier | null {
  const product = metadata?.product;
  const tier = metadata?.tier?.toLowerCase();
  return isProduct(product) && isTier(tier) ? { product, tier } : null;
}

/** `<product>_<tier>[_<interval>]`, e.g. `simpl-resultat_premium_year`. */
function productOfLookupKey(lookupKey: string | null | undefined): ProductTier | null {
  const [product, tier] = (lookupKey ?? "").split("_");
  return isProduct(product) && isTier(tier) ? { product, tier } : null;
}

/** Price metadata, then its product's metadata (when expanded), then the price's lookup_key. */
export function productOfPrice(price: Stripe.Price | null | undefined): ProductTier | null {
  if (!price) return null;
  const product =
    typeof price.product === "object" && price.product && !("deleted" in price.product) ? price.product : null;
  return (
    productOfMetadata(price.metadata) ?? productOfMetadata(product?.metadata) ?? productOfLookupKey(price.lookup_key)
  );
}

/**
 * The Logto user a checkout belongs to: our server sets `metadata.logto_user_id` when it creates
 * the session. `client_reference_id` alone is not trusted (a Payment Link lets the buyer type any),
 * and when both exist they must agree, else the checkout belongs to no one (the email still gets the key).
 */
export function checkoutOwner(
  session: Pick<Stripe.Checkout.Session, "client_reference_id" | "metadata">,
): string | null {
  const owner = session.metadata?.logto_user_id || null;
  if (!owner) return null;
  if (session.client_reference_id && session.client_reference_id !== owner) return null;
  return owner;
}

/**
 * Which events of one queue batch must be applied one after another: those of one Stripe customer
 * (checkout, invoice, subscription and charge events all name it). A dispute names only its payment
 * intent, so disputes of one payment share a key; an event naming neither stands alone.
 */
export function orderingKeyOf(event: Stripe.Event): string {
  const object = event.data?.object as {
    customer?: string | { id: string } | null;
    payment_intent?: string | { id: string } | null;
  };
  const customer = idOf(object?.customer);
  if (customer) return customer;
  const paymentIntent = idOf(object?.payment_intent);
  return paymentIntent ?? event.id;
}

// Stripe's id prefixes of what an event can concern: customers, subscriptions, invoices, payment
// intents, charges, refunds, disputes, checkout sessions, invoice payments.
const OWN_ID = /^(cus|sub|in|pi|ch|re|dp|du|cs|inpay)_[A-Za-z0-9_]+$/;

const idIn = (v: unknown): string | null => {
  if (typeof v === "string") return OWN_ID.test(v) ? v : null;
  if (v && typeof v === "object" && "id" in v && typeof v.id === "string") return OWN_ID.test(v.id) ? v.id : null;
  return null;
};

/**
 * The ids an event concerns: its object's own id and every reference among the object's top-level
 * fields (ids or expanded objects), plus an invoice's subscription under `parent`. Stored beside the
 * event so support, GET /account/data and erasure still find it once retention drops the payload.
 */
export function objectIdsOfEvent(event: Pick<Stripe.Event, "data"> | object): string[] {
  const data = "data" in event ? (event.data as { object?: unknown } | undefined) : undefined;
  const object = data?.object as Record<string, unknown> | undefined;
  if (!object || typeof object !== "object") return [];
  const ids = new Set<string>();
  for (const value of Object.values(object)) {
    const id = idIn(value);
    if (id) ids.add(id);
  }
  const parent = object.parent as { subscription_details?: { subscription?: unknown } } | null | undefined;
  const subscription = idIn(parent?.subscription_details?.subscription);
  if (subscription) ids.add(subscription);
  return [...ids].sort();
}
