// Issue 22 item 3: renewals paid any way. `invoice.paid` also fires for an invoice marked paid out of band
// (`invoice.payment_succeeded` does not); both are handled, idempotently, and the payments an invoice had
// are read with `status: "paid"` (invoicePayments.list also returns open and canceled attempts).
import { describe, expect, it } from "vitest";
import { atPayment, event, invoice, invoicePayment } from "../support/fakes/stripe-events";
import { api, expectStatus } from "../support/api";
import {
  expirySec,
  paymentOf,
  periodEndSec,
  renewalOf,
  tokensOf,
  applyEvent,
  subscribed,
} from "../support/stripe-scenario";

const DAY = 86_400;
const GRACE = 7 * DAY;

describe("invoice.paid", () => {
  it("3: extends the license like invoice.payment_succeeded: new expiry, a token with it, the payment recorded", async () => {
    const { world, p, license } = await subscribed();
    const pay = renewalOf(p);
    world.invoicePayments.set(pay.paymentIntentId, invoicePayment(atPayment(p, pay), { invoice: pay.invoiceId }));

    expect((await applyEvent(event("invoice.paid", invoice(atPayment(p, pay), pay.period)))).status).toBe("processed");
    expect(await expirySec(license.id)).toBe(pay.period.end + GRACE);
    expect(await tokensOf(license.id)).toHaveLength(2);
    expect(await periodEndSec(p.subscriptionId)).toBe(pay.period.end);
    expect(await paymentOf(pay.paymentIntentId)).toMatchObject({
      licenseId: license.id,
      stripeSubscriptionId: p.subscriptionId,
    });
    // Only paid attempts count as what paid the invoice.
    const listed = world.calls.filter((c) => c.path === "/v1/invoice_payments" && c.search.includes(pay.invoiceId));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((c) => c.search.includes("status=paid"))).toBe(true);

    const key = (await tokensOf(license.id))[0]!.key;
    const res = await expectStatus(api.licenses.validate.$post({ header: {}, json: { key } }), 200);
    expect(res.json).toMatchObject({ valid: true, code: "valid", license: { expires_at: expect.any(String) } });
    expect(new Date(res.json.license!.expires_at).getTime() / 1000).toBe(pay.period.end + GRACE);
  });

  it("3: invoice.paid and invoice.payment_succeeded for the same invoice, in either order: one extension, one new token", async () => {
    for (const order of [
      ["invoice.paid", "invoice.payment_succeeded"],
      ["invoice.payment_succeeded", "invoice.paid"],
    ]) {
      const { p, license } = await subscribed();
      const pay = renewalOf(p);
      const paid = invoice(atPayment(p, pay), pay.period);
      for (const type of order) expect((await applyEvent(event(type, paid))).status).toBe("processed");
      expect(await tokensOf(license.id), order.join(" then ")).toHaveLength(2);
      expect(await expirySec(license.id)).toBe(pay.period.end + GRACE);
    }
  });

  it("3: an invoice marked paid out of band (no payment attempt: only invoice.paid fires) still extends the license", async () => {
    const { p, license } = await subscribed();
    const period = { start: p.periodEnd, end: p.periodEnd + 30 * DAY };
    // This version's invoice has no out-of-band flag (it left with basil): only the event type tells.
    const outOfBand = invoice({ ...p, invoiceId: `${p.invoiceId}_oob` }, period);
    expect((await applyEvent(event("invoice.paid", outOfBand))).status).toBe("processed");
    expect(await expirySec(license.id)).toBe(period.end + GRACE);
  });
});
