import type { Ctx } from "../../context";
import { findLicensesOfAddress } from "../../db/queries/account-licenses";
import { insertRecoveryEmailWithinLimits } from "../../db/queries/email-outbox";
import { licenseStanding } from "../../domain/license-standing";
import { newId } from "../../lib/ids";
import { licenseRecoveryEmail } from "./license-recovery-email";

/** Per address: at most one recovery email per 10 minutes, and 5 in any 24 hours (and RECOVERY_EMAILS_PER_HOUR in all). */
const RECOVERY_MIN_GAP_MINUTES = 10;
export const RECOVERY_PER_DAY = 5;

export type RecoveryOutcome = "queued" | "already_sent" | "no_licenses" | "limited";

/**
 * The consumer's half of POST /licenses/recover: one email listing every active or suspended
 * license of the address, written to the outbox within the address's limits and sent like every
 * other email (Idempotency-Key, retries). Safe to redeliver: the row is keyed by the request id.
 */
export async function sendLicenseRecovery(
  ctx: Ctx,
  input: { requestId: string; address: string },
): Promise<RecoveryOutcome> {
  const now = ctx.clock.now();
  // The stored word lags: an active license past its expiry stays "active" until the nightly job.
  const found = (await findLicensesOfAddress(ctx.db, input.address, ["active", "suspended"])).filter(
    (l) => licenseStanding(l, now) !== "expired",
  );
  const [first] = found;
  if (!first) return "no_licenses";
  const { subject, text } = licenseRecoveryEmail(found);
  const [, , [row]] = await ctx.db.batch(
    insertRecoveryEmailWithinLimits(ctx.db, {
      id: newId("eml"),
      requestId: input.requestId,
      address: input.address,
      // The address as the buyer typed it at checkout: the one we know reaches them.
      toEmail: first.email ?? input.address,
      subject,
      textBody: text,
      now,
      minGapMinutes: RECOVERY_MIN_GAP_MINUTES,
      perDay: RECOVERY_PER_DAY,
      perHourTotal: ctx.config.recoveryEmailsPerHour,
    }),
  );
  if (!row) {
    ctx.log.info("license recovery: address over its limit, nothing sent");
    return "limited";
  }
  if (row.sentAt) return "already_sent";
  // Throws when the queue refuses: this message is retried and finds its row again.
  await ctx.jobs.enqueueRecoveryEmail(row.id);
  return "queued";
}
