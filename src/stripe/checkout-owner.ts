import type Stripe from "stripe";

/**
 * The Logto user a checkout belongs to: our server sets `metadata.logto_user_id` when it creates
 * the session. `client_reference_id` alone is not trusted (a Payment Link lets the buyer type any),
 * and when both exist they must agree, else the checkout belongs to no one (the email still gets the key).
 */
export function checkoutOwner(session: Pick<Stripe.Checkout.Session, "client_reference_id" | "metadata">): string | null {
  const owner = session.metadata?.logto_user_id || null;
  if (!owner) return null;
  if (session.client_reference_id && session.client_reference_id !== owner) return null;
  return owner;
}
