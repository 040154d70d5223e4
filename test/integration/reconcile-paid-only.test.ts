// Issue 22 item 5: the nightly reconcile extends only what was paid. Stripe keeps a subscription `active`
// (its items already on the next period) while the renewal invoice is still a draft or unpaid: the license
// must not run on; its new expiry comes from the newest paid invoice's service period.
import { describe, expect, it } from "vitest";
import { runNightly } from "../support/cron";
import { atPayment, invoice } from "../support/fakes/stripe-events";
import { useInvoiceList } from "../support/fakes/stripe-invoices";
import { expirySec, lapsedPurchase, periodEndSec, tokensOf } from "../support/stripe-scenario";

const DAY = 86_400;
const GRACE = 7 * DAY;

describe("nightly reconcile extends only what was paid", () => {
  it("5: an active subscription whose renewal invoice is unpaid (draft window) does not extend the license", async () => {
    const { invoices, searches } = useInvoiceList();
    const { p, license, next } = await lapsedPurchase();
    invoices.push(
      { ...invoice(p), created: p.periodStart }, // the first period, paid
      { ...invoice(atPayment(p, next), next.period, { status: "draft", amount_paid: 0 }), created: next.period.start },
    );

    await runNightly();
    expect(await expirySec(license.id)).toBe(p.periodEnd + GRACE);
    expect(await tokensOf(license.id)).toHaveLength(1);
    expect(searches.some((s) => s.get("subscription") === p.subscriptionId && s.get("status") === "paid")).toBe(true);
    // The subscription row still says what Stripe says of the subscription itself.
    expect(await periodEndSec(p.subscriptionId)).toBe(next.period.end);
  });

  it("5: once the renewal invoice is paid, the new expiry is that invoice's period end plus the grace", async () => {
    const { invoices } = useInvoiceList();
    const { p, license, next } = await lapsedPurchase();
    invoices.push({ ...invoice(p), created: p.periodStart });
    await runNightly();
    expect(await tokensOf(license.id)).toHaveLength(1);

    // Paid for a shorter service period than the subscription's items show (e.g. a proration): the invoice rules.
    const paidEnd = next.period.end - 3 * DAY;
    invoices.push({
      ...invoice(atPayment(p, next), { start: next.period.start, end: paidEnd }),
      created: next.period.start,
    });
    await runNightly();
    expect(await expirySec(license.id)).toBe(paidEnd + GRACE);
    expect(await tokensOf(license.id)).toHaveLength(2);
  });
});
