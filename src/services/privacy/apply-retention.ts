import type { Ctx } from "../../context";
import { deleteDeactivationsBefore } from "../../db/queries/deactivations";
import { blankDeliveredBodies } from "../../db/queries/email-outbox";
import { dropAppliedPayloads } from "../../db/queries/stripe-events";
import { addDays } from "../../lib/clock";
import { DEACTIVATION_WINDOW_DAYS } from "../licenses/deactivate-machine";

export interface RetentionReport {
  emailBodiesBlanked: number;
  eventPayloadsDropped: number;
  deactivationsDeleted: number;
}

/**
 * Keeps personal data only as long as its purpose (docs/privacy.md): a delivered email's body, an
 * applied Stripe event's payload (a failed one keeps it until resolved), a deactivation once out of
 * the rolling window. One round trip; idempotent. `now` is the nightly run's scheduled time.
 */
export async function applyRetention(ctx: Ctx, now: Date): Promise<RetentionReport> {
  const [bodies, payloads, deactivations] = await ctx.db.batch([
    blankDeliveredBodies(ctx.db, addDays(now, -ctx.config.emailBodyRetentionDays)),
    dropAppliedPayloads(ctx.db, addDays(now, -ctx.config.eventPayloadRetentionDays)),
    deleteDeactivationsBefore(ctx.db, addDays(now, -DEACTIVATION_WINDOW_DAYS)),
  ]);
  const report = {
    emailBodiesBlanked: bodies.length,
    eventPayloadsDropped: payloads.length,
    deactivationsDeleted: deactivations.length,
  };
  ctx.log.info("retention applied", { ...report });
  return report;
}
