import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox, licenses, subscriptions } from "../../src/db/schema";
import { runNightly } from "../support/cron";
import { testDb } from "../support/db";
import { deliveredTo } from "../support/fakes/resend";
import { atPayment, invoice } from "../support/fakes/stripe-events";
import { useInvoiceList } from "../support/fakes/stripe-invoices";
import { issueTestLicense } from "../support/factories";
import {
  expirySec,
  lapsedPurchase,
  licenseById,
  periodEndSec,
  tokensOf,
  useStripeScenario,
} from "../support/stripe-scenario";
import { waitFor } from "../support/wait";

const DAY = 86_400;

describe("nightly reconcile (Cron Trigger)", () => {
  it("catches up a renewal whose webhooks never arrived: subscription re-read from Stripe, license extended with a new token", async () => {
    const { p, license, next: renewal } = await lapsedPurchase();
    // The renewal invoice was paid; the invoice and update events were lost.
    useInvoiceList().invoices.push({
      ...invoice(atPayment(p, renewal), renewal.period),
      created: renewal.period.start,
    });
    await runNightly();
    expect(await periodEndSec(p.subscriptionId)).toBe(renewal.period.end);
    expect(await expirySec(license.id)).toBe(renewal.period.end + 7 * DAY);
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
