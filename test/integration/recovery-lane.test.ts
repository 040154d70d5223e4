// Issue 22 item 8: recovery jobs never delay refunds or disputes. POST /licenses/recover is unauthenticated:
// a flood of it (many IPs, many addresses) must not sit in front of Stripe's events. Recovery rides a
// queue of its own, so none of a flood is ever queued in front of a refund.
import { afterEach, describe, expect, it, vi } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";
import { charge, deliver, event } from "../support/fakes/stripe-events";
import { randomEmail } from "../support/factories";
import { api } from "../support/api";
import { licenseById, oneTimePurchase, settled } from "../support/stripe-scenario";
import { waitFor } from "../support/wait";

const FLOOD = 400;

/** The consumer's "message applied" lines, in the order it wrote them. */
function appliedLines(spy: { mock: { calls: unknown[][] } }) {
  return spy.mock.calls
    .map((args) => String(args[0]))
    .filter((line) => line.includes('"msg":"queue: message applied"'))
    .map((line) => JSON.parse(line) as { eventId?: string; recoveryRequestId?: string; queue: string });
}

describe("the recovery lane", () => {
  afterEach(() => vi.restoreAllMocks());

  it("8: recovery requests and their emails ride the maximus-recovery queue, consumed like the events queue", () => {
    expect(wranglerToml).toMatch(/\[\[queues\.producers\]\]\s+binding = "RECOVERY_QUEUE"\s+queue = "maximus-recovery"/);
    expect(wranglerToml).toMatch(/\[\[queues\.consumers\]\]\s+queue = "maximus-recovery"/);
  });

  it("8: a refund sent after a flood of recovery requests is revoked from the events queue, with none of the flood in front of it", async () => {
    const { p, license } = await oneTimePurchase();

    const logs = vi.spyOn(console, "log");
    const accepted = await Promise.all(
      Array.from({ length: FLOOD }, () => api.licenses.recover.$post({ json: { email: randomEmail() } })),
    );
    expect(accepted.every((r) => r.status === 202)).toBe(true);
    const refund = event("charge.refunded", charge(p));
    expect((await deliver(refund)).status).toBe(200);
    expect(await settled(refund.id)).toMatchObject({ status: "processed" });
    expect(await licenseById(license.id)).toMatchObject({ status: "revoked", revokeReason: "refund" });
    expect((await api.licenses.validate.$post({ header: {}, json: { key: "x" } })).status).toBe(200);

    // Ordering, not timing: nothing of the flood sent before the refund was queued in front of it. The refund
    // was applied from the events queue, and every recovery job from its own lane. (Whether the flood is still
    // being worked off when the refund lands is a race on a loaded machine: not asserted.)
    const lines = appliedLines(logs);
    expect(lines.find((l) => l.eventId === refund.id)).toMatchObject({ queue: "maximus-events" });
    await waitFor(async () => appliedLines(logs).filter((l) => l.recoveryRequestId).length === FLOOD, {
      timeoutMs: 60_000,
      what: "the recovery flood to be worked off",
    });
    expect(
      new Set(
        appliedLines(logs)
          .filter((l) => l.recoveryRequestId)
          .map((l) => l.queue),
      ),
    ).toEqual(new Set(["maximus-recovery"]));
  }, 90_000);
});
