import type { Ctx } from "../../context";
import { listStuckEmails } from "../../db/queries/email-outbox";
import { expireOverdue, findLicenseOfSubscription } from "../../db/queries/licenses";
import { listStaleSubscriptions } from "../../db/queries/subscriptions";
import { isPaidUp } from "../../domain/stripe-status";
import { paidPeriodEnd } from "../../integrations/stripe/payload";
import { addDays } from "../../lib/clock";
import { errorMessage } from "../../lib/logger";
import { alignLicenseTier, extendLicense } from "../licenses/update-license-terms";
import { refreshSubscription } from "./sync-subscription";

export interface ReconcileReport {
  licensesExpired: number;
  emailsRequeued: number;
  subscriptionsRefreshed: number;
  subscriptionsFailed: number;
}

/** An address Resend refuses keeps failing: stop re-sending after this many tries (support sees last_error). */
const MAX_EMAIL_ATTEMPTS = 10;

/**
 * The nightly safety net for webhooks that never came: re-reads subscriptions whose state may be
 * stale from Stripe, re-sends emails stuck in the outbox, and marks licenses past their expiry as
 * expired. Every step is idempotent, so running it twice (or concurrently) is harmless.
 */
export async function runNightlyReconcile(
  ctx: Ctx,
  limits = { subscriptions: 100, emails: 200, emailAgeMinutes: 10 },
): Promise<ReconcileReport> {
  const licensesExpired = await expireOverdue(ctx.db);

  const unsent = await listStuckEmails(ctx.db, {
    maxAttempts: MAX_EMAIL_ATTEMPTS,
    olderThanMinutes: limits.emailAgeMinutes,
    limit: limits.emails,
  });
  for (const { id } of unsent) await ctx.jobs.enqueueEmail(id);

  let refreshed = 0;
  let failed = 0;
  for (const { stripeSubscriptionId } of await listStaleSubscriptions(ctx.db, limits.subscriptions)) {
    try {
      await catchUpSubscription(ctx, stripeSubscriptionId);
      refreshed++;
    } catch (err) {
      failed++;
      ctx.log.warn("reconcile: subscription not refreshed", { stripeSubscriptionId, error: errorMessage(err) });
    }
  }
  const report = {
    licensesExpired,
    emailsRequeued: unsent.length,
    subscriptionsRefreshed: refreshed,
    subscriptionsFailed: failed,
  };
  ctx.log.info("nightly reconcile", { ...report });
  return report;
}

/**
 * Stripe's current truth, and what a missed invoice or update event would have done to the license.
 * The license runs on only as far as a paid invoice says: Stripe moves an `active` subscription to
 * its next period before the renewal invoice is paid (the draft window), or whether it ever is.
 */
async function catchUpSubscription(ctx: Ctx, stripeSubscriptionId: string) {
  const { row } = await refreshSubscription(ctx, { stripeSubscriptionId });
  const license = await findLicenseOfSubscription(ctx.db, row.id);
  if (!license || license.status === "revoked") return;
  await alignLicenseTier(ctx, { license, tier: row.tier });
  if (!isPaidUp(row.status)) return;
  const paid = await ctx.stripe.findLatestPaidInvoice(stripeSubscriptionId);
  const paidUntil = paid && paidPeriodEnd(paid);
  if (!paidUntil) return;
  const due = addDays(paidUntil, ctx.config.licenseGraceDays);
  if (due > license.expiresAt) await extendLicense(ctx, { licenseId: license.id, expiresAt: due });
}
