import type { Ctx } from "../../context";
import { isLicenseOfUser } from "../../db/queries/account-licenses";
import { NotFoundError } from "../../errors";
import { freeSeat } from "../licenses/deactivate-machine";

/**
 * Frees a seat from the account page, without the key (a dead laptop): as POST /licenses/deactivate
 * does, within the same DEACTIVATION_LIMIT. Another user's license reads as one that does not exist.
 */
export async function freeMachineOfAccount(
  ctx: Ctx,
  input: { logtoUserId: string; licenseId: string; machineId: string },
): Promise<{ removed: boolean }> {
  if (!(await isLicenseOfUser(ctx.db, input.licenseId, input.logtoUserId))) {
    throw new NotFoundError("not_found", "No such license in this account.");
  }
  return freeSeat(ctx, { licenseId: input.licenseId, machineId: input.machineId });
}
