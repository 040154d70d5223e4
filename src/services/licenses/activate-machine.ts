import type { Ctx } from "../../context";
import { insertActivationWithinLimit, refreshSeat } from "../../db/queries/activations";
import { selectNewestToken } from "../../db/queries/license-tokens";
import { lockLicenseStanding, selectLicenseStanding, type LicenseStandingRow } from "../../db/queries/licenses";
import { LimitExceededError } from "../../domain/errors";
import { invalidLicense, licenseStanding, standingError, type Standing } from "../../domain/license-standing";
import { newId } from "../../lib/ids";
import { issueLease } from "./lease";
import { limitByLicense } from "./limit-by-license";
import { readLicenseKey } from "./read-license-key";

export interface ActivateMachineInput {
  key: string;
  machineId: string;
  machineName?: string | null;
  platform?: string | null;
  appVersion?: string | null;
}

export interface MachineActivation {
  license: LicenseStandingRow & { standing: Standing };
  activation: { machineId: string; activatedAt: Date };
  lease: string;
  key: string;
}

/** One seat per machine up to the license's limit; the same machine again keeps its seat. */
export async function activateMachine(ctx: Ctx, input: ActivateMachineInput): Promise<MachineActivation> {
  const presented = await readLicenseKey(ctx, input.key);
  if (!presented) throw invalidLicense();
  await limitByLicense(ctx, presented.licenseId);
  const now = ctx.clock.now();
  const seat = {
    licenseId: presented.licenseId,
    product: presented.product,
    machineId: input.machineId,
    machineName: input.machineName ?? null,
    platform: input.platform ?? null,
    appVersion: input.appVersion ?? null,
    now,
  };
  // A machine that already holds a seat: one round trip, no lock (every app start does this).
  const [[refreshed], [standingRow], [newestKnown]] = await ctx.db.batch([
    refreshSeat(ctx.db, seat),
    selectLicenseStanding(ctx.db, presented.licenseId),
    selectNewestToken(ctx.db, presented.licenseId),
  ]);
  if (refreshed && standingRow && licenseStanding(standingRow, now) === "active") {
    return activated(ctx, { ...standingRow, standing: "active" }, refreshed, newestKnown?.key ?? input.key, input.machineId);
  }
  // A new machine (or a license not in good standing): lock the license, insert within the limit.
  const [[license], [activation], [newest]] = await ctx.db.batch([
    lockLicenseStanding(ctx.db, presented.licenseId),
    insertActivationWithinLimit(ctx.db, { ...seat, id: newId("act"), defaultLimit: ctx.config.activationLimit }),
    selectNewestToken(ctx.db, presented.licenseId),
  ]);
  if (!license || license.product !== presented.product) throw invalidLicense();
  const standing = licenseStanding(license, now);
  if (standing !== "active") throw standingError(standing);
  if (!activation) {
    const limit = license.maxMachines ?? ctx.config.activationLimit;
    ctx.log.info("activation refused: limit reached", { licenseId: license.id, limit });
    throw new LimitExceededError(`This license is already active on ${limit} machines. Deactivate one first.`, limit);
  }
  // A key signed for this license but never stored (none in practice) is still the newest the app has.
  return activated(ctx, { ...license, standing }, activation, newest?.key ?? input.key, input.machineId);
}

async function activated(
  ctx: Ctx,
  license: MachineActivation["license"],
  activation: MachineActivation["activation"],
  key: string,
  machineId: string,
): Promise<MachineActivation> {
  return { license, activation, lease: await issueLease(ctx, { license, machineId }), key };
}
