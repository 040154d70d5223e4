import { SignJWT } from "jose";
import type { Product, Tier } from "../../domain/products";
import { toSec } from "../clock";
import type { Keyring } from "./keyring";
import {
  formatLicenseKey,
  LEASE_TYP,
  LICENSE_TYP,
  verifyLicenseKeyOffline,
  type LicenseKeyCheck,
} from "./verify-offline";

export interface LicenseKeyClaims {
  issuer: string;
  licenseId: string;
  product: Product;
  tier: Tier;
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
  maxMachines?: number | null;
}

/**
 * `<SR|SL>-<BASE|PREMIUM>-<JWT>`, signed by the keyring's first key. No personal data: people paste
 * keys into support threads, so "licensed to" comes from the account endpoints, never from the key.
 * Keys issued before carry an `email` claim; the verifier still accepts them.
 */
export async function signLicenseKey(keyring: Keyring, c: LicenseKeyClaims): Promise<{ key: string; kid: string }> {
  const { kid, key } = keyring.signer;
  const jwt = await new SignJWT({
    tier: c.tier,
    ...(c.maxMachines != null ? { max_machines: c.maxMachines } : {}),
  })
    .setProtectedHeader({ alg: "EdDSA", typ: LICENSE_TYP, kid })
    .setIssuer(c.issuer)
    .setSubject(c.licenseId)
    .setAudience(c.product)
    .setIssuedAt(toSec(c.issuedAt))
    .setExpirationTime(toSec(c.expiresAt))
    .setJti(c.jti)
    .sign(key);
  return { key: formatLicenseKey(c.product, c.tier, jwt), kid };
}

/** The server's own clock is authoritative, so no leeway on `exp`. */
export function verifyLicenseKey(
  keyring: Keyring,
  key: string,
  o: { issuer: string; now: Date },
): Promise<LicenseKeyCheck> {
  return verifyLicenseKeyOffline(key, keyring.verifyKey, {
    issuer: o.issuer,
    currentDate: o.now,
    clockToleranceSec: 0,
  });
}

export interface LeaseInput {
  issuer: string;
  licenseId: string;
  product: Product;
  tier: Tier;
  machineId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export function signLease(keyring: Keyring, l: LeaseInput): Promise<string> {
  const { kid, key } = keyring.signer;
  return new SignJWT({ machine: l.machineId, tier: l.tier })
    .setProtectedHeader({ alg: "EdDSA", typ: LEASE_TYP, kid })
    .setIssuer(l.issuer)
    .setSubject(l.licenseId)
    .setAudience(l.product)
    .setIssuedAt(toSec(l.issuedAt))
    .setExpirationTime(toSec(l.expiresAt))
    .sign(key);
}
