import type Stripe from "stripe";
import { STRIPE_API_VERSION, type StripeClient } from "./client";

type Retrieve = (stripe: StripeClient, id: string) => Promise<{ id: string }>;

/** How each object a handled event carries is read again, through the client pinned to our version. */
const RETRIEVE: Record<string, Retrieve> = {
  "checkout.session": (stripe, id) => stripe.checkout.sessions.retrieve(id),
  invoice: (stripe, id) => stripe.invoices.retrieve(id),
  subscription: (stripe, id) => stripe.subscriptions.retrieve(id),
  charge: (stripe, id) => stripe.charges.retrieve(id),
  dispute: (stripe, id) => stripe.disputes.retrieve(id),
};

/**
 * `GET /v1/events/{id}` answers an event as it was rendered when created, in the account's default
 * version then, not the webhook endpoint's. When that is not the version our readers know, the object
 * itself is read again through the pinned client (its state now, which every handler tolerates: none
 * lets older state overwrite newer). `previous_attributes` is dropped: it is in the other version.
 */
export async function inPinnedVersion(stripe: StripeClient, event: Stripe.Event): Promise<Stripe.Event> {
  if (event.api_version === STRIPE_API_VERSION) return event;
  const object = event.data?.object as { object?: string; id?: string } | undefined;
  const retrieve = object?.object ? RETRIEVE[object.object] : undefined;
  if (!retrieve || !object?.id) return event; // not an object we read: handlers ignore such events anyway
  const fresh = await retrieve(stripe, object.id);
  // safe because the object is the one the event carried, now in the version Stripe.Event is typed for
  return { ...event, api_version: STRIPE_API_VERSION, data: { object: fresh } } as unknown as Stripe.Event;
}
