// Arranges the fakes for a webhook scenario and reads back what the consumer wrote.
import { eq } from "drizzle-orm";
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
import { useStripe } from "./fakes/stripe-api";
import { checkoutSession, deliver, event, type Purchase, subscription } from "./fakes/stripe-events";
import { waitFor } from "./wait";

export function useStripeScenario() {
  return { world: useStripe(), resend: useResend() };
}

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

/** A subscription purchase as Stripe announces it: the subscription in the world, the checkout applied, its license. */
export async function purchased(p: Purchase, world: ReturnType<typeof useStripeScenario>["world"]) {
  world.subscriptions.set(p.subscriptionId, subscription(p));
  const e = event("checkout.session.completed", checkoutSession(p));
  await deliver(e);
  await settled(e.id);
  return licenseOfSession(p.sessionId);
}
