import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { emailOutbox, licenses, subscriptions } from "../../db/schema";
import { addDays } from "../../lib/clock";
import { errorMessage } from "../../lib/logger";
import { enqueueEmail } from "../../queue/producer";
import { alignLicenseTier, extendLicense, findLicenseOfSubscription } from "../licenses/update-license-terms";
import { refreshSubscription } from "../subscriptions/sync-subscription";

export interface ReconcileReport {
  licensesExpired: number;
  emailsRequeued: number;
  subscriptionsRefreshed: number;
  subscriptionsFailed: number;
}

/** An address Resend refuses keeps failing: stop re-sending after this many tries (support sees last_error). */
const MAX_EMAIL_ATTEMPTS = 10;

const LIVE_STATUSES = ["active", "trialing", "past_due", "unpaid", "incomplete", "paused"];

/**
 * The nightly safety net for webhooks that never came: re-reads subscriptions whose state may be
 * stale from Stripe, re-sends emails stuck in the outbox, and marks licenses past their expiry as
 * expired. Every step is idempotent, so running it twice (or concurrently) is harmless.
 */
export async function runNightlyReconcile(ctx: Ctx, limits = { subscriptions: 100, emails: 200, emailAgeMinutes: 10 }): Promise<ReconcileReport> {
  const expired = await ctx.db
    .update(licenses)
    .set({ status: "expired", updatedAt: sql`now()` })
    .where(and(eq(licenses.status, "active"), lt(licenses.expiresAt, sql`now()`)))
    .returning({ id: licenses.id });

  const unsent = await ctx.db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(
      and(
        isNull(emailOutbox.sentAt),
        lt(emailOutbox.attempts, MAX_EMAIL_ATTEMPTS),
        lt(emailOutbox.createdAt, sql`now() - make_interval(mins => ${limits.emailAgeMinutes})`),
        or(isNull(emailOutbox.lockedUntil), lt(emailOutbox.lockedUntil, sql`now()`)),
      ),
    )
    .limit(limits.emails);
  for (const { id } of unsent) await enqueueEmail(ctx.queue, id);

  // Stale: the period should have rolled over already, or we have not heard of it for a week.
  const stale = await ctx.db
    .select({ stripeSubscriptionId: subscriptions.stripeSubscriptionId })
    .from(subscriptions)
    .where(
      and(
        inArray(subscriptions.status, LIVE_STATUSES),
        or(lt(subscriptions.currentPeriodEnd, sql`now()`), lt(subscriptions.updatedAt, sql`now() - interval '7 days'`)),
      ),
    )
    .limit(limits.subscriptions);
  let refreshed = 0;
  let failed = 0;
  for (const { stripeSubscriptionId } of stale) {
    try {
      await catchUpSubscription(ctx, stripeSubscriptionId);
      refreshed++;
    } catch (err) {
      failed++;
      ctx.log.warn("reconcile: subscription not refreshed", { stripeSubscriptionId, error: errorMessage(err) });
    }
  }
  const report = { licensesExpired: expired.length, emailsRequeued: unsent.length, subscriptionsRefreshed: refreshed, subscriptionsFailed: failed };
  ctx.log.info("nightly reconcile", { ...report });
  return report;
}

/** Stripe's current truth, and what a missed invoice or update event would have done to the license. */
async function catchUpSubscription(ctx: Ctx, stripeSubscriptionId: string) {
  const { row } = await refreshSubscription(ctx, stripeSubscriptionId);
  const license = await findLicenseOfSubscription(ctx, row.id);
  if (!license || license.status === "revoked") return;
  await alignLicenseTier(ctx, license, row.tier);
  if ((row.status === "active" || row.status === "trialing") && row.currentPeriodEnd) {
    const due = addDays(row.currentPeriodEnd, ctx.config.licenseGraceDays);
    if (due > license.expiresAt) await extendLicense(ctx, license.id, due);
  }
}
