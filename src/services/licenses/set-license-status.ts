import { and, eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { licenses } from "../../db/schema";

/**
 * Revocation is a property of the license, not of a token: every token of it stops validating at
 * once. Idempotent (a second revoke keeps the first reason and time).
 */
export async function revokeLicense(ctx: Ctx, licenseId: string, reason: string): Promise<boolean> {
  const rows = await ctx.db
    .update(licenses)
    .set({ status: "revoked", revokedAt: sql`now()`, revokeReason: reason, updatedAt: sql`now()` })
    .where(and(eq(licenses.id, licenseId), inArray(licenses.status, ["active", "suspended", "expired"])))
    .returning({ id: licenses.id });
  if (rows.length > 0) ctx.log.info("license revoked", { licenseId, reason });
  return rows.length > 0;
}

/** An open dispute: the license stops working until the dispute is closed. */
export async function suspendLicense(ctx: Ctx, licenseId: string): Promise<boolean> {
  const rows = await ctx.db
    .update(licenses)
    .set({ status: "suspended", suspendedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(licenses.id, licenseId), eq(licenses.status, "active")))
    .returning({ id: licenses.id });
  if (rows.length > 0) ctx.log.info("license suspended", { licenseId });
  return rows.length > 0;
}

/** Back to active from suspended or revoked (support decision or a won dispute). */
export async function reinstateLicense(ctx: Ctx, licenseId: string, from: ("suspended" | "revoked")[] = ["suspended", "revoked"]): Promise<boolean> {
  const rows = await ctx.db
    .update(licenses)
    .set({ status: "active", suspendedAt: null, revokedAt: null, revokeReason: null, updatedAt: sql`now()` })
    .where(and(eq(licenses.id, licenseId), inArray(licenses.status, from)))
    .returning({ id: licenses.id });
  if (rows.length > 0) ctx.log.info("license reinstated", { licenseId });
  return rows.length > 0;
}
