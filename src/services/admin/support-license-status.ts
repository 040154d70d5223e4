import type { Ctx } from "../../context";
import { reinstateStatement, resetDeactivationsStatement, revokeStatement } from "../../db/queries/licenses";
import { ConflictError } from "../../errors";
import { type Actor, auditStatement } from "./audit";
import { findLicenseById, type LicenseOverview } from "./find-licenses";

/** Support revokes a license (every key of it); the reason is kept with `support:` in front. */
export async function revokeBySupport(
  ctx: Ctx,
  input: { id: string; reason: string; by: Actor },
): Promise<LicenseOverview> {
  await findLicenseById(ctx, { id: input.id });
  const [changed] = await ctx.db.batch([
    revokeStatement(ctx.db, input.id, `support: ${input.reason}`),
    auditStatement(ctx, { ...input.by, reason: input.reason }, "revoke", input.id),
  ]);
  if (changed.length > 0) ctx.log.info("license revoked by support", { licenseId: input.id });
  return findLicenseById(ctx, { id: input.id });
}

/** Back to active from revoked or suspended; an expired license needs a new one instead. */
export async function reinstateBySupport(ctx: Ctx, input: { id: string; by: Actor }): Promise<LicenseOverview> {
  const before = await findLicenseById(ctx, input);
  if (before.license.status === "expired")
    throw new ConflictError("An expired license cannot be reinstated: issue a new one.");
  const [changed] = await ctx.db.batch([
    reinstateStatement(ctx.db, input.id, ["suspended", "revoked"]),
    auditStatement(ctx, input.by, "reinstate", input.id),
  ]);
  if (changed.length > 0) ctx.log.info("license reinstated by support", { licenseId: input.id });
  return findLicenseById(ctx, input);
}

/** Support lifts the deactivation limit: deactivations made before now no longer count. */
export async function resetDeactivationsBySupport(
  ctx: Ctx,
  input: { id: string; by: Actor },
): Promise<LicenseOverview> {
  await findLicenseById(ctx, input);
  await ctx.db.batch([
    resetDeactivationsStatement(ctx.db, input.id, ctx.clock.now()),
    auditStatement(ctx, input.by, "reset-deactivations", input.id),
  ]);
  ctx.log.info("deactivation limit reset by support", { licenseId: input.id });
  return findLicenseById(ctx, input);
}
