import type { Ctx } from "../../context";
import { deleteDeactivatedSeat, selectSeatKeysOfMachine } from "../../db/queries/activations";
import { insertDeactivationWithinLimit, selectSeatAndOldestDeactivation } from "../../db/queries/deactivations";
import { lockLicenseStanding } from "../../db/queries/licenses";
import { DeactivationLimitError, invalidLicense } from "../../errors";
import { addDays, DAY_MS } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { limitByLicense } from "./limit-by-license";
import { readLicenseKey } from "./read-license-key";
import { acceptSeatProof, chooseSeat, type ProofRequest, refusedSeat } from "./seat-proof";

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
  input: { key: string; machineId: string; proof: ProofRequest },
): Promise<{ removed: boolean }> {
  const presented = await readLicenseKey(ctx, input.key);
  if (!presented) throw invalidLicense();
  const proof = await acceptSeatProof(ctx, input.proof);
  const { licenseId } = presented;
  await limitByLicense(ctx, licenseId);
  // Which seat the proof speaks for is decided first; the batch then frees that seat only, so a
  // concurrent change can make it free nothing (idempotent), never another key's seat.
  const seatKeys = (await selectSeatKeysOfMachine(ctx.db, licenseId, input.machineId)).map((s) => s.jkt);
  const seat = chooseSeat(ctx, seatKeys, proof);
  if (seat.kind === "refused") throw refusedSeat(proof);
  if (seat.kind === "none") return { removed: false };
  return releaseSeat(ctx, { licenseId, machineId: input.machineId, jkt: seat.jkt });
}

/**
 * The seat-freeing both ways share (the app with its key, the account page remotely), so both
 * count against the same DEACTIVATION_LIMIT. The caller has established the license is theirs.
 * The account page names a machine: every seat it holds (one per key) is freed, counted once.
 */
export async function freeSeat(
  ctx: Ctx,
  input: { licenseId: string; machineId: string },
): Promise<{ removed: boolean }> {
  await limitByLicense(ctx, input.licenseId);
  return releaseSeat(ctx, input);
}

/** `jkt` names one seat of the machine (null: its unbound one); undefined, all of them. */
async function releaseSeat(
  ctx: Ctx,
  input: { licenseId: string; machineId: string; jkt?: string | null },
): Promise<{ removed: boolean }> {
  const now = ctx.clock.now();
  const since = addDays(now, -DEACTIVATION_WINDOW_DAYS);
  const limit = ctx.config.deactivationLimit;
  const deactivationId = newId("dea");
  const target = { licenseId: input.licenseId, machineId: input.machineId, jkt: input.jkt };
  const [[license], , deleted, [after]] = await ctx.db.batch([
    lockLicenseStanding(ctx.db, input.licenseId),
    insertDeactivationWithinLimit(ctx.db, { ...target, id: deactivationId, now, since, limit }),
    deleteDeactivatedSeat(ctx.db, { ...target, deactivationId }),
    selectSeatAndOldestDeactivation(ctx.db, target, since),
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
