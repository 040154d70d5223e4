import type { Ctx } from "../../context";
import {
  insertTokenIdempotently,
  selectNewestToken,
  selectTokenForPeriod,
  type LicenseTokenRow,
} from "../../db/queries/license-tokens";
import type { Product, Tier } from "../../domain/products";
import { truncateToSec } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { loadKeyring } from "../../lib/licensing/keyring";
import { signLicenseKey } from "../../lib/licensing/license-token";
import { required } from "../../lib/required";

export interface LicenseToMint {
  id: string;
  product: Product;
  tier: Tier;
  expiresAt: Date;
  maxMachines?: number | null;
}

export type MintedToken = Pick<LicenseTokenRow, "jti" | "key" | "kid" | "tier" | "issuedAt" | "expiresAt">;

/**
 * Signs a key for the license's period and tier and stores it. One token per (license, tier,
 * expiry): a redelivered renewal gets back the token already stored, not a second one.
 */
export async function mintLicenseToken(ctx: Ctx, license: LicenseToMint): Promise<MintedToken> {
  const token = await signLicenseToken(ctx, license);
  const [, existing] = await ctx.db.batch([
    insertTokenIdempotently(ctx.db, { ...token, licenseId: license.id }),
    selectTokenForPeriod(ctx.db, { licenseId: license.id, tier: license.tier, expiresAt: token.expiresAt }),
  ]);
  // safe because the select runs after the insert in the same transaction: one of the two rows is there.
  return toMintedToken(required(existing[0], "the token of this period"));
}

/** Signs without storing: issueLicense stores the token in the same batch as its license. */
export async function signLicenseToken(ctx: Ctx, license: LicenseToMint): Promise<MintedToken> {
  const keyring = await loadKeyring(ctx.config.signingKeysJson);
  const issuedAt = ctx.clock.now();
  const expiresAt = truncateToSec(license.expiresAt);
  const jti = newId("jti");
  const { key, kid } = await signLicenseKey(keyring, {
    issuer: ctx.config.licenseIssuer,
    licenseId: license.id,
    product: license.product,
    tier: license.tier,
    jti,
    issuedAt,
    expiresAt,
    maxMachines: license.maxMachines,
  });
  return { jti, key, kid, tier: license.tier, issuedAt, expiresAt };
}

export async function newestLicenseKey(ctx: Ctx, licenseId: string): Promise<string | null> {
  const [token] = await selectNewestToken(ctx.db, licenseId);
  return token?.key ?? null;
}

export const toMintedToken = ({ jti, key, kid, tier, issuedAt, expiresAt }: LicenseTokenRow): MintedToken => ({
  jti,
  key,
  kid,
  tier,
  issuedAt,
  expiresAt,
});
