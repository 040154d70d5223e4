import type { Ctx } from "../../context";
import type { LicenseStandingRow } from "../../db/queries/licenses";
import { addDays } from "../../lib/clock";
import { loadKeyring } from "../../lib/licensing/keyring";
import { signLease } from "../../lib/licensing/license-token";

/** Offline use for OFFLINE_GRACE_DAYS, never beyond the license's own expiry. */
export async function issueLease(ctx: Ctx, input: { license: LicenseStandingRow; machineId: string }): Promise<string> {
  const { license, machineId } = input;
  const keyring = await loadKeyring(ctx.config.signingKeysJson);
  const now = ctx.clock.now();
  const graceEnd = addDays(now, ctx.config.offlineGraceDays);
  return signLease(keyring, {
    issuer: ctx.config.licenseIssuer,
    licenseId: license.id,
    product: license.product,
    tier: license.tier,
    machineId,
    issuedAt: now,
    expiresAt: new Date(Math.min(graceEnd.getTime(), license.expiresAt.getTime())),
  });
}
