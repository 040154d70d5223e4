import { and, eq, ne, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { licenses } from "../../db/schema";
import { isTier, type Product, type Tier } from "../../domain/products";
import { mintLicenseToken, type MintedToken } from "./mint-license-token";

type LicenseRow = typeof licenses.$inferSelect;

const toMint = (l: LicenseRow) => ({
  id: l.id,
  product: l.product as Product, // safe because rows are only written with checked products and tiers
  tier: l.tier as Tier,
  email: l.email,
  expiresAt: l.expiresAt,
  maxMachines: l.maxMachines,
});

export async function findLicenseOfSubscription(ctx: Ctx, subscriptionId: string): Promise<LicenseRow | null> {
  const [row] = await ctx.db.select().from(licenses).where(eq(licenses.subscriptionId, subscriptionId)).limit(1);
  return row ?? null;
}

/**
 * A paid renewal: the license runs to the new expiry and gets a token that says so. Never shortens
 * (an older invoice arriving late changes nothing); a revoked license stays revoked.
 */
export async function extendLicense(ctx: Ctx, licenseId: string, expiresAt: Date): Promise<MintedToken | null> {
  const [row] = await ctx.db
    .update(licenses)
    .set({
      expiresAt: sql`greatest(${licenses.expiresAt}, ${expiresAt.toISOString()}::timestamptz)`,
      status: sql`case when ${licenses.status} = 'expired' then 'active' else ${licenses.status} end`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(licenses.id, licenseId), ne(licenses.status, "revoked")))
    .returning();
  if (!row) return null;
  return mintLicenseToken(ctx, toMint(row));
}

/** Brings the license to its subscription's tier, when it differs and the tier is one we sell. */
export async function alignLicenseTier(ctx: Ctx, license: LicenseRow, tier: string): Promise<void> {
  if (license.tier !== tier && isTier(tier)) await changeLicenseTier(ctx, license.id, tier);
}

/** An upgrade or downgrade: the license changes tier and gets a token of the new tier for its current expiry. */
export async function changeLicenseTier(ctx: Ctx, licenseId: string, tier: Tier): Promise<MintedToken | null> {
  const [row] = await ctx.db
    .update(licenses)
    .set({ tier, updatedAt: sql`now()` })
    .where(and(eq(licenses.id, licenseId), ne(licenses.status, "revoked")))
    .returning();
  if (!row) return null;
  ctx.log.info("license tier changed", { licenseId, tier });
  return mintLicenseToken(ctx, toMint(row));
}
