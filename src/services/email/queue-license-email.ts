import type { Ctx } from "../../context";
import { pendingLicenseEmails } from "../../db/queries/email-outbox";
import { errorMessage } from "../../lib/logger";

/** Best effort: when the queue refuses, the row stays in the outbox and the nightly reconcile sends it. */
export async function queueLicenseEmail(ctx: Ctx, input: { licenseId: string }): Promise<void> {
  for (const outboxId of await pendingLicenseEmails(ctx.db, input.licenseId)) {
    try {
      await ctx.jobs.enqueueEmail(outboxId);
    } catch (err) {
      ctx.log.warn("license email not queued: left for the reconcile", {
        licenseId: input.licenseId,
        outboxId,
        error: errorMessage(err),
      });
    }
  }
}
