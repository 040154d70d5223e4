import type Stripe from "stripe";
import type { Ctx } from "../../context";
import { isHandledEventType, type HandledEventType } from "../../domain/stripe-event-types";
import { ignored, type EventHandler, type HandlerResult } from "./handler-result";
import { handleCheckoutPaid } from "./handlers/checkout";
import { handleDispute } from "./handlers/dispute";
import { handleInvoicePaid } from "./handlers/invoice";
import { handleChargeRefunded } from "./handlers/refund";
import { handleSubscriptionChange } from "./handlers/subscription";

// Typed by the handled list (domain/stripe-event-types.ts) the webhook checks: the two cannot drift.
const handlers: Record<HandledEventType, EventHandler> = {
  "checkout.session.completed": handleCheckoutPaid,
  "checkout.session.async_payment_succeeded": handleCheckoutPaid,
  "invoice.payment_succeeded": handleInvoicePaid,
  // Both arrive for a paid invoice: the period only grows and the token is one per expiry, so the second changes nothing.
  "invoice.paid": handleInvoicePaid,
  "customer.subscription.created": handleSubscriptionChange,
  "customer.subscription.updated": handleSubscriptionChange,
  "customer.subscription.deleted": handleSubscriptionChange,
  "charge.refunded": handleChargeRefunded,
  "charge.dispute.created": handleDispute,
  "charge.dispute.updated": handleDispute,
  "charge.dispute.closed": handleDispute,
};

export function applyStripeEvent(ctx: Ctx, event: Stripe.Event): Promise<HandlerResult> {
  return isHandledEventType(event.type)
    ? handlers[event.type](ctx, event)
    : Promise.resolve(ignored(`unhandled type ${event.type}`));
}
