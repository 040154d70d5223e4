import type { Ctx } from "../../context";
import { markActive, markReinstatedAfterDisputeLoss, markRevoked, markSuspended } from "../../db/queries/licenses";

/**
 * Revocation is a property of the license, not of a token: every token of it stops validating at
 * once. Idempotent (a second revoke keeps the first reason and time).
 */
export async function revokeLicense(ctx: Ctx, input: { licenseId: string; reason: string }): Promise<boolean> {
  const changed = await markRevoked(ctx.db, input.licenseId, input.reason);
  if (changed) ctx.log.info("license revoked", { licenseId: input.licenseId, reason: input.reason });
  return changed;
}

/** An open dispute: the license stops working until the dispute is closed. */
export async function suspendLicense(ctx: Ctx, input: { licenseId: string }): Promise<boolean> {
  const changed = await markSuspended(ctx.db, input.licenseId);
  if (changed) ctx.log.info("license suspended", { licenseId: input.licenseId });
  return changed;
}

/** Back to active from suspended or revoked (support decision or a won dispute). */
export async function reinstateLicense(
  ctx: Ctx,
  input: { licenseId: string; from?: ("suspended" | "revoked")[] },
): Promise<boolean> {
  const changed = await markActive(ctx.db, input.licenseId, input.from ?? ["suspended", "revoked"]);
  if (changed) ctx.log.info("license reinstated", { licenseId: input.licenseId });
  return changed;
}

/** An appeal won: back from a revocation for a lost dispute only, suspended while another dispute is open. */
export async function reinstateAfterDisputeLoss(
  ctx: Ctx,
  input: { licenseId: string; status: "active" | "suspended" },
): Promise<boolean> {
  const changed = await markReinstatedAfterDisputeLoss(ctx.db, input.licenseId, input.status);
  if (changed) ctx.log.info("license reinstated after an appeal", { licenseId: input.licenseId, status: input.status });
  return changed;
}
