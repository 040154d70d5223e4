import type { Ctx } from "../../context";
import { insertActivationWithinLimit } from "../../db/queries/activations";
import { selectNewestToken } from "../../db/queries/license-tokens";
import { lockLicenseStanding, type LicenseStandingRow } from "../../db/queries/licenses";
import { invalidLicense, LimitExceededError, standingError } from "../../errors";
import { licenseStanding, type Standing } from "../../domain/license-standing";
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
  // One round trip, one transaction: lock the license, then insert the seat within the limit (or
  // refresh the machine's own seat), then read the newest key. Each statement after the lock takes a
  // fresh snapshot (READ COMMITTED), so the count is exact; every path locks the license first, so
  // re-activations, new machines and deactivations cannot deadlock (docs/performance.md).
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
  const seated = { ...license, standing };
  return {
    license: seated,
    activation,
    lease: await issueLease(ctx, { license: seated, machineId: input.machineId }),
    key: newest?.key ?? input.key,
  };
}
