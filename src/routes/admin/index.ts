import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { resetDeactivations } from "../../db/queries/licenses";
import { AppError } from "../../errors";
import { toIsoSec } from "../../lib/clock";
import { readJsonBody, readQuery } from "../../lib/validation";
import { requireInternalKey } from "../../middleware/internal-auth";
import { findLicenseById, findLicensesByEmail, type LicenseOverview } from "../../services/admin/find-licenses";
import { listEvents, replayEvent } from "../../services/admin/replay-event";
import { reinstateLicense, revokeLicense } from "../../services/licenses/set-license-status";
import { EventStatusQuery, LicenseEmailQuery, RevokeBody } from "./schemas";

const iso = (d: Date | null | undefined) => (d ? toIsoSec(d) : null);

function licenseView({ license, newestKey, tokenCount, activations, subscription }: LicenseOverview) {
  return {
    id: license.id,
    email: license.email,
    product: license.product,
    tier: license.tier,
    status: license.status,
    expires_at: iso(license.expiresAt),
    created_at: iso(license.createdAt),
    revoked_at: iso(license.revokedAt),
    revoke_reason: license.revokeReason,
    checkout_session_id: license.checkoutSessionId,
    key: newestKey,
    token_count: tokenCount,
    activations: activations.map((a) => ({
      machine_id: a.machineId,
      machine_name: a.machineName,
      platform: a.platform,
      app_version: a.appVersion,
      activated_at: iso(a.activatedAt),
      last_seen_at: iso(a.lastSeenAt),
    })),
    subscription: subscription && {
      stripe_subscription_id: subscription.stripeSubscriptionId,
      status: subscription.status,
      tier: subscription.tier,
      current_period_end: iso(subscription.currentPeriodEnd),
      cancel_at_period_end: subscription.cancelAtPeriodEnd,
    },
  };
}

/** Support tools, behind the internal API keys. */
export const admin = new Hono<AppEnv>()
  .use("/admin/*", requireInternalKey)
  .get("/admin/licenses", async (c) => {
    const { email } = readQuery(c, LicenseEmailQuery);
    const found = await findLicensesByEmail(c.get("services"), email);
    return c.json({ licenses: found.map(licenseView) });
  })
  .post("/admin/licenses/:id/revoke", async (c) => {
    const { reason } = await readJsonBody(c, RevokeBody);
    const ctx = c.get("services");
    const id = c.req.param("id");
    await findLicenseById(ctx, id);
    await revokeLicense(ctx, id, `support: ${reason}`);
    return c.json({ license: licenseView(await findLicenseById(ctx, id)) });
  })
  .post("/admin/licenses/:id/reinstate", async (c) => {
    const ctx = c.get("services");
    const id = c.req.param("id");
    const before = await findLicenseById(ctx, id);
    if (before.license.status === "expired") throw new AppError("conflict", "An expired license cannot be reinstated: issue a new one.");
    await reinstateLicense(ctx, id);
    return c.json({ license: licenseView(await findLicenseById(ctx, id)) });
  })
  .post("/admin/licenses/:id/reset-deactivations", async (c) => {
    const ctx = c.get("services");
    const id = c.req.param("id");
    await findLicenseById(ctx, id);
    await resetDeactivations(ctx.db, id, ctx.clock.now());
    ctx.log.info("deactivation limit reset by support", { licenseId: id });
    return c.json({ license: licenseView(await findLicenseById(ctx, id)) });
  })
  .get("/admin/events", async (c) => {
    const { status, limit } = readQuery(c, EventStatusQuery);
    const rows = await listEvents(c.get("services"), { status, limit });
    return c.json({
      events: rows.map((e) => ({
        id: e.id,
        type: e.type,
        created: toIsoSec(new Date(e.createdSec * 1000)),
        status: e.status,
        attempts: e.attempts,
        error_code: e.errorCode,
        last_error: e.lastError,
        received_at: iso(e.receivedAt),
        processed_at: iso(e.processedAt),
      })),
    });
  })
  .post("/admin/events/:id/replay", async (c) => {
    const replayed = await replayEvent(c.get("services"), c.req.param("id"));
    return c.json({ replayed: true, event_id: replayed.eventId, type: replayed.type }, 202);
  });
