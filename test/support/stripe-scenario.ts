// Arranges the fakes for a webhook scenario and reads back what the consumer wrote.
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import {
  customers,
  emailOutbox,
  licenses,
  licenseTokens,
  payments,
  stripeEvents,
  subscriptions,
} from "../../src/db/schema";
import { testDb } from "./db";
import { useResend } from "./fakes/resend";
import { type StripeWorld, useStripe } from "./fakes/stripe-api";
import {
  checkoutSession,
  deliver,
  event,
  invoicePayment,
  newPayment,
  newPurchase,
  nowSec,
  type Purchase,
  subscription,
} from "./fakes/stripe-events";
import { waitFor } from "./wait";

export function useStripeScenario() {
  return { world: useStripe(), resend: useResend() };
}

const DAY = 86_400;

const db = () => testDb();

export async function eventRow(id: string) {
  const [row] = await db().select().from(stripeEvents).where(eq(stripeEvents.id, id));
  return row ?? null;
}

/** Waits until the consumer has finished with the event (processed, ignored or failed). */
export function settled(eventId: string, timeoutMs = 8_000) {
  return waitFor(
    async () => {
      const row = await eventRow(eventId);
      return row && row.status !== "received" ? row : null;
    },
    { timeoutMs, what: `event ${eventId} to settle` },
  );
}

export async function licensesOfSession(sessionId: string) {
  return db().select().from(licenses).where(eq(licenses.checkoutSessionId, sessionId));
}

export async function licenseOfSession(sessionId: string, timeoutMs = 8_000) {
  return waitFor(async () => (await licensesOfSession(sessionId))[0], { timeoutMs, what: `license of ${sessionId}` });
}

export const tokensOf = (licenseId: string) =>
  db().select().from(licenseTokens).where(eq(licenseTokens.licenseId, licenseId));
export const outboxOf = (licenseId: string) =>
  db().select().from(emailOutbox).where(eq(emailOutbox.licenseId, licenseId));
export const licenseById = async (id: string) => (await db().select().from(licenses).where(eq(licenses.id, id)))[0]!;
export const subscriptionByStripeId = async (id: string) =>
  (await db().select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, id)))[0] ?? null;
export const customerByStripeId = async (id: string) =>
  (await db().select().from(customers).where(eq(customers.stripeCustomerId, id)))[0] ?? null;
export const paymentOf = async (pi: string) =>
  (await db().select().from(payments).where(eq(payments.paymentIntentId, pi)))[0] ?? null;

/** A subscription checkout as Stripe sends it, its subscription already in the world for the consumer to read. */
export function subscriptionCheckout(p: Purchase, world: StripeWorld) {
  world.subscriptions.set(p.subscriptionId, subscription(p));
  return event("checkout.session.completed", checkoutSession(p));
}

/** A one-time (payment mode) checkout session: no subscription, no invoice, paid by its payment intent alone. */
export function oneTimeCheckout(p: Purchase) {
  return checkoutSession(p, { mode: "payment", subscription: null, invoice: null, payment_intent: p.paymentIntentId });
}

/** Delivers the event, checks the webhook took it to handle (not `ignored: unhandled_type`), and waits until it settled. */
export async function applyEvent(e: ReturnType<typeof event>) {
  const res = await deliver(e);
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ received: true });
  return settled(e.id);
}

/** Applies the purchase's checkout event: the license it issued. */
async function licenseOfCheckout(e: ReturnType<typeof event>, p: Purchase) {
  await applyEvent(e);
  return licenseOfSession(p.sessionId);
}

/** A subscription purchase as Stripe announces it: the subscription in the world, the checkout applied, its license. */
function purchased(p: Purchase, world: StripeWorld) {
  return licenseOfCheckout(subscriptionCheckout(p, world), p);
}

/** A subscription purchase in a fresh scenario: its fakes (world, resend), the purchase and its license. */
export async function subscribed(over: Partial<Purchase> = {}) {
  const scenario = useStripeScenario();
  const p = newPurchase(over);
  const license = await purchased(p, scenario.world);
  return { ...scenario, p, license };
}

/**
 * A subscription purchase in a fresh scenario, its first payment in the world before the checkout (for refunds and
 * disputes to find): the world, the license and its first key.
 */
export async function subscriptionPurchase() {
  const { world } = useStripeScenario();
  const p = newPurchase();
  world.invoicePayments.set(p.paymentIntentId, invoicePayment(p));
  const license = await purchased(p, world);
  const [token] = await tokensOf(license.id);
  return { p, world, license, key: token!.key };
}

/** A one-time purchase in a fresh scenario, its checkout applied: the world, the license and its first key. */
export async function oneTimePurchase(over: { created?: number } = {}) {
  const { world } = useStripeScenario();
  const p = newPurchase();
  const license = await licenseOfCheckout(event("checkout.session.completed", oneTimeCheckout(p), over), p);
  const [token] = await tokensOf(license.id);
  return { p, world, license, key: token!.key };
}

/** The payment of the 30-day period that follows the purchase's. */
export const renewalOf = (p: Purchase) => newPayment(p, { start: p.periodEnd, end: p.periodEnd + 30 * DAY });

/**
 * A subscription bought a month ago whose first period is over, its license issued by the checkout; Stripe has
 * rolled it to the `next` period and the webhooks never came (what the nightly reconcile catches up).
 */
export async function lapsedPurchase() {
  const { world, p, license } = await subscribed({ periodStart: nowSec() - 31 * DAY, periodEnd: nowSec() - DAY });
  const next = renewalOf(p);
  world.subscriptions.set(
    p.subscriptionId,
    subscription({ ...p, periodStart: next.period.start, periodEnd: next.period.end }),
  );
  return { p, license, next };
}

/** The license's expiry in Unix seconds, the unit of Stripe's periods. */
export const expirySec = async (licenseId: string) => (await licenseById(licenseId)).expiresAt.getTime() / 1000;
/** The subscription row's current period end in Unix seconds (the row must exist). */
export const periodEndSec = async (stripeSubscriptionId: string) =>
  (await subscriptionByStripeId(stripeSubscriptionId))!.currentPeriodEnd!.getTime() / 1000;
