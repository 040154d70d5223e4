import type { Ctx } from "../../context";
import { findLicensesOfUser, type LicenseWithMachines } from "../../db/queries/account-licenses";
import { licenseStanding } from "../../domain/license-standing";

export type AccountLicense = Omit<LicenseWithMachines, "maxMachines"> & { maxMachines: number };

/** Every license of the signed-in user (all their customers), `status` as its standing now, `maxMachines` as activate counts it. One statement. */
export async function readAccountLicenses(ctx: Ctx, input: { logtoUserId: string }): Promise<AccountLicense[]> {
  const now = ctx.clock.now();
  const found = await findLicensesOfUser(ctx.db, input.logtoUserId);
  return found.map((l) => ({
    ...l,
    status: licenseStanding(l, now),
    maxMachines: l.maxMachines ?? ctx.config.activationLimit,
  }));
}
