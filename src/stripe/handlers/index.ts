import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { handleCheckoutPaid } from "./checkout";
import { handleDispute } from "./dispute";
import { handleInvoicePaid } from "./invoice";
import { handleChargeRefunded } from "./refund";
import { handleSubscriptionChange } from "./subscription";
import { ignored, type EventHandler, type HandlerResult } from "./types";

const handlers: Record<string, EventHandler> = {
  "checkout.session.completed": handleCheckoutPaid,
  "checkout.session.async_payment_succeeded": handleCheckoutPaid,
  "invoice.payment_succeeded": handleInvoicePaid,
  "customer.subscription.created": handleSubscriptionChange,
  "customer.subscription.updated": handleSubscriptionChange,
  "customer.subscription.deleted": handleSubscriptionChange,
  "charge.refunded": handleChargeRefunded,
  "charge.dispute.created": handleDispute,
  "charge.dispute.closed": handleDispute,
};

/** Any other verified event is acknowledged and ignored. */
export const HANDLED_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(handlers));

export function applyStripeEvent(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  const handler = handlers[event.type];
  return handler ? handler(ctx, event) : Promise.resolve(ignored(`unhandled type ${event.type}`));
}
