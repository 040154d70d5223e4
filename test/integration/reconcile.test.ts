import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox, licenses, subscriptions } from "../../src/db/schema";
import { runNightly } from "../support/cron";
import { testDb } from "../support/db";
import { deliveredTo } from "../support/fakes/resend";
import {
  atPayment,
  checkoutSession,
  deliver,
  event,
  invoice,
  newPayment,
  newPurchase,
  nowSec,
  subscription,
} from "../support/fakes/stripe-events";
import { useInvoiceList } from "../support/fakes/stripe-invoices";
import { issueTestLicense } from "../support/factories";
import {
  licenseById,
  licenseOfSession,
  settled,
  subscriptionByStripeId,
  tokensOf,
  useStripeScenario,
} from "../support/stripe-scenario";
import { waitFor } from "../support/wait";

const DAY = 86_400;

describe("nightly reconcile (Cron Trigger)", () => {
  it("catches up a renewal whose webhooks never arrived: subscription re-read from Stripe, license extended with a new token", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase({ periodStart: nowSec() - 31 * DAY, periodEnd: nowSec() - DAY });
    world.subscriptions.set(p.subscriptionId, subscription(p));
    const e = event("checkout.session.completed", checkoutSession(p));
    await deliver(e);
    await settled(e.id);
    const license = await licenseOfSession(p.sessionId);

    // Stripe renewed it and the renewal invoice was paid; the invoice and update events were lost.
    const renewed = { ...p, periodStart: p.periodEnd, periodEnd: p.periodEnd + 30 * DAY };
    world.subscriptions.set(p.subscriptionId, subscription(renewed));
    const renewal = newPayment(p, { start: renewed.periodStart, end: renewed.periodEnd });
    useInvoiceList().invoices.push({
      ...invoice(atPayment(p, renewal), renewal.period),
      created: renewal.period.start,
    });
    await runNightly();
    expect((await subscriptionByStripeId(p.subscriptionId))!.currentPeriodEnd!.getTime() / 1000).toBe(
      renewed.periodEnd,
    );
    expect((await licenseById(license.id)).expiresAt.getTime() / 1000).toBe(renewed.periodEnd + 7 * DAY);
    expect(await tokensOf(license.id)).toHaveLength(2);

    await runNightly(); // twice is harmless
    expect(await tokensOf(license.id)).toHaveLength(2);
  });

  it("marks licenses past their expiry as expired, and re-sends emails stuck in the outbox", async () => {
    const { resend } = useStripeScenario();
    const old = await issueTestLicense();
    await testDb()
      .update(licenses)
      .set({ expiresAt: new Date(Date.now() - DAY * 1000) })
      .where(eq(licenses.id, old.id));
    const mailed = await issueTestLicense({ sendEmail: true });
    const [row] = await testDb()
      .update(emailOutbox)
      .set({ createdAt: new Date(Date.now() - 3600_000) })
      .where(eq(emailOutbox.licenseId, mailed.id))
      .returning();

    await runNightly();
    expect((await licenseById(old.id)).status).toBe("expired");
    await waitFor(async () => deliveredTo(resend, row!.toEmail!)[0], { what: "the stuck email" });
    await waitFor(
      async () => (await testDb().select().from(emailOutbox).where(eq(emailOutbox.id, row!.id)))[0]?.sentAt,
      { what: "sent_at" },
    );
    await runNightly();
    expect(deliveredTo(resend, row!.toEmail!)).toHaveLength(1);
    void subscriptions;
  });
});
