import type { Ctx } from "../../context";
import { extendExpiry, setTier, type LicenseRow } from "../../db/queries/licenses";
import type { Tier } from "../../domain/products";
import { mintLicenseToken, type MintedToken } from "./mint-license-token";

/**
 * A paid renewal: the license runs to the new expiry and gets a token that says so. Never shortens
 * (an older invoice arriving late changes nothing); a revoked license stays revoked.
 */
export async function extendLicense(
  ctx: Ctx,
  input: { licenseId: string; expiresAt: Date },
): Promise<MintedToken | null> {
  const row = await extendExpiry(ctx.db, input.licenseId, input.expiresAt);
  return row && mintLicenseToken(ctx, row);
}

/** Brings the license to its subscription's tier when it differs: a token of the new tier for its current expiry. */
export async function alignLicenseTier(
  ctx: Ctx,
  input: { license: LicenseRow; tier: Tier },
): Promise<MintedToken | null> {
  if (input.license.tier === input.tier) return null;
  const row = await setTier(ctx.db, input.license.id, input.tier);
  if (!row) return null;
  ctx.log.info("license tier changed", { licenseId: row.id, tier: input.tier });
  return mintLicenseToken(ctx, row);
}
