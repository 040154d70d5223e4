// Type-level tests, run by `npm run typecheck` (tsc): the Stripe fakes cannot drift from what Stripe
// sends at the pinned API version (the stripe SDK's types are generated from Stripe's spec for it).
import type Stripe from "stripe";
import { catalogPrice, fakeCheckoutSession } from "../../tools/fakes/stripe-api.mjs";
import type fixtures from "../../tools/stripe/stripe-fixtures.json";
import {
  charge,
  checkoutSession,
  dispute,
  invoice,
  newPurchase,
  subscription,
} from "../../tools/stripe/stripe-objects.mjs";

type Resources = typeof fixtures.resources;
/** `true` when the example object has no field the SDK's type lacks; otherwise names the extra fields. */
type OnlyStripeFields<Fixture, Sdk> = [Exclude<keyof Fixture, keyof Sdk>] extends [never]
  ? true
  : { notSentByStripe: Exclude<keyof Fixture, keyof Sdk> };

export const examplesAreStripes: [
  OnlyStripeFields<Resources["checkout.session"], Stripe.Checkout.Session>,
  OnlyStripeFields<Resources["charge"], Stripe.Charge>,
  OnlyStripeFields<Resources["invoice"], Stripe.Invoice>,
  OnlyStripeFields<Resources["invoice"]["lines"]["data"][number], Stripe.InvoiceLineItem>,
  OnlyStripeFields<Resources["invoice_payment"], Stripe.InvoicePayment>,
  OnlyStripeFields<Resources["subscription"], Stripe.Subscription>,
  OnlyStripeFields<Resources["subscription_item"], Stripe.SubscriptionItem>,
  OnlyStripeFields<Resources["dispute"], Stripe.Dispute>,
  OnlyStripeFields<Resources["event"], Stripe.Event>,
  OnlyStripeFields<Resources["refund"], Stripe.Refund>,
  OnlyStripeFields<Resources["price"], Stripe.Price>,
  OnlyStripeFields<Resources["product"], Stripe.Product>,
  OnlyStripeFields<Resources["item"], Stripe.LineItem>,
  OnlyStripeFields<Resources["billing_portal.session"], Stripe.BillingPortal.Session>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true];

const p = newPurchase();

// What the builders make is the SDK's type...
export const built: [Stripe.Invoice, Stripe.Subscription, Stripe.Charge, Stripe.Dispute, Stripe.Checkout.Session] = [
  invoice(p),
  subscription(p),
  charge(p),
  dispute(p),
  checkoutSession(p),
];
export const answered: [Stripe.Price, Stripe.Checkout.Session] = [catalogPrice("x_base_month"), fakeCheckoutSession()];

// ...and a field Stripe does not send at this version is refused.
// @ts-expect-error since the 2025 API versions an invoice names its subscription under parent.subscription_details
invoice(p, undefined, { subscription: p.subscriptionId });
// @ts-expect-error a charge no longer names its invoice (an invoice payment joins them)
charge(p, { invoice: p.invoiceId });
