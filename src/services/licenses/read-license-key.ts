import type { Ctx } from "../../context";
import type { Product, Tier } from "../../domain/products";
import { loadKeyring } from "../../lib/licensing/keyring";
import { verifyLicenseKey } from "../../lib/licensing/license-token";

export interface PresentedKey {
  licenseId: string;
  product: Product;
  tier: Tier;
}

/**
 * The license a key names, once its signature and claims check out; null when they do not. A key
 * past its own `exp` still names its license: the license row says whether it has expired.
 */
export async function readLicenseKey(ctx: Ctx, key: string): Promise<PresentedKey | null> {
  const keyring = await loadKeyring(ctx.config.signingKeysJson);
  const check = await verifyLicenseKey(keyring, key, { issuer: ctx.config.licenseIssuer, now: ctx.clock.now() });
  if (check.status === "invalid") {
    ctx.log.info("license key rejected", { reason: check.reason });
    return null;
  }
  return { licenseId: check.claims.sub, product: check.claims.aud, tier: check.claims.tier };
}
