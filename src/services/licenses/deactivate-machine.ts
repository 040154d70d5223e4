import type { Ctx } from "../../context";
import { deleteDeactivatedSeat } from "../../db/queries/activations";
import { insertDeactivationWithinLimit, selectSeatAndOldestDeactivation } from "../../db/queries/deactivations";
import { lockLicenseStanding } from "../../db/queries/licenses";
import { DeactivationLimitError, invalidLicense } from "../../errors";
import { addDays, DAY_MS } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { limitByLicense } from "./limit-by-license";
import { readLicenseKey } from "./read-license-key";

/** The rolling window DEACTIVATION_LIMIT counts in. */
export const DEACTIVATION_WINDOW_DAYS = 30;

/**
 * Frees the machine's seat at once. Works whatever the license's standing (moving off a machine
 * must always be possible) and is idempotent: `removed` is false when the machine held no seat.
 * At most DEACTIVATION_LIMIT seats are freed per rolling 30 days: otherwise activate → keep the
 * offline lease → deactivate → activate elsewhere would run any number of machines on one license.
 */
export async function deactivateMachine(
  ctx: Ctx,
  input: { key: string; machineId: string },
): Promise<{ removed: boolean }> {
  const presented = await readLicenseKey(ctx, input.key);
  if (!presented) throw invalidLicense();
  return freeSeat(ctx, { licenseId: presented.licenseId, machineId: input.machineId });
}

/**
 * The seat-freeing both ways share (the app with its key, the account page remotely), so both
 * count against the same DEACTIVATION_LIMIT. The caller has established the license is theirs.
 */
export async function freeSeat(
  ctx: Ctx,
  input: { licenseId: string; machineId: string },
): Promise<{ removed: boolean }> {
  await limitByLicense(ctx, input.licenseId);
  const now = ctx.clock.now();
  const since = addDays(now, -DEACTIVATION_WINDOW_DAYS);
  const limit = ctx.config.deactivationLimit;
  const deactivationId = newId("dea");
  const target = { licenseId: input.licenseId, machineId: input.machineId };
  const [[license], , deleted, [after]] = await ctx.db.batch([
    lockLicenseStanding(ctx.db, input.licenseId),
    insertDeactivationWithinLimit(ctx.db, { ...target, id: deactivationId, now, since, limit }),
    deleteDeactivatedSeat(ctx.db, { ...target, deactivationId }),
    selectSeatAndOldestDeactivation(ctx.db, input.licenseId, input.machineId, since),
  ]);
  if (!license) throw invalidLicense();
  if (deleted.length === 0 && after?.seated) {
    const oldest = after.oldestCountedAt ?? now;
    const retryAfterSec = Math.max(
      1,
      Math.ceil((oldest.getTime() + DEACTIVATION_WINDOW_DAYS * DAY_MS - now.getTime()) / 1000),
    );
    ctx.log.info("deactivation refused: limit reached", { licenseId: license.id, limit });
    throw new DeactivationLimitError(
      `This license has moved between machines ${limit} times in the last ${DEACTIVATION_WINDOW_DAYS} days. Contact support to move it again sooner.`,
      limit,
      retryAfterSec,
    );
  }
  ctx.log.info("machine deactivated", { licenseId: license.id, removed: deleted.length > 0 });
  return { removed: deleted.length > 0 };
}
