import type { Ctx } from "../../context";
import { deleteSeat } from "../../db/queries/activations";
import { NotFoundError } from "../../errors";
import { type Actor, auditStatement } from "./audit";
import { findLicenseById, type LicenseOverview } from "./find-licenses";

/**
 * Support frees one machine's seat by hand, whatever the license's standing and outside the buyer's
 * DEACTIVATION_LIMIT (a person decided; the audit entry says who and why).
 */
export async function freeMachineBySupport(
  ctx: Ctx,
  input: { id: string; machineId: string; by: Actor },
): Promise<LicenseOverview> {
  const before = await findLicenseById(ctx, input);
  if (!before.activations.some((a) => a.machineId === input.machineId))
    throw new NotFoundError("not_found", `License ${input.id} has no machine ${input.machineId}.`);
  await ctx.db.batch([
    deleteSeat(ctx.db, { licenseId: input.id, machineId: input.machineId }),
    auditStatement(ctx, input.by, "free-machine", `${input.id}/machines/${input.machineId}`),
  ]);
  ctx.log.info("machine freed by support", { licenseId: input.id });
  return findLicenseById(ctx, input);
}
