import type { Ctx } from "../../context";
import { resetDeactivations } from "../../db/queries/licenses";
import { ConflictError } from "../../errors";
import { reinstateLicense, revokeLicense } from "../licenses/set-license-status";
import { findLicenseById, type LicenseOverview } from "./find-licenses";

/** Support revokes a license (every key of it); the reason is kept with `support:` in front. */
export async function revokeBySupport(ctx: Ctx, input: { id: string; reason: string }): Promise<LicenseOverview> {
  await findLicenseById(ctx, { id: input.id });
  await revokeLicense(ctx, { licenseId: input.id, reason: `support: ${input.reason}` });
  return findLicenseById(ctx, { id: input.id });
}

/** Back to active from revoked or suspended; an expired license needs a new one instead. */
export async function reinstateBySupport(ctx: Ctx, input: { id: string }): Promise<LicenseOverview> {
  const before = await findLicenseById(ctx, input);
  if (before.license.status === "expired")
    throw new ConflictError("An expired license cannot be reinstated: issue a new one.");
  await reinstateLicense(ctx, { licenseId: input.id });
  return findLicenseById(ctx, input);
}

/** Support lifts the deactivation limit: deactivations made before now no longer count. */
export async function resetDeactivationsBySupport(ctx: Ctx, input: { id: string }): Promise<LicenseOverview> {
  await findLicenseById(ctx, input);
  await resetDeactivations(ctx.db, input.id, ctx.clock.now());
  ctx.log.info("deactivation limit reset by support", { licenseId: input.id });
  return findLicenseById(ctx, input);
}
