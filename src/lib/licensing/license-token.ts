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
  const claims = { tier: c.tier, ...(c.maxMachines != null ? { max_machines: c.maxMachines } : {}) };
  const { jwt, kid } = await signToken(keyring, LICENSE_TYP, claims, { ...c, subject: c.licenseId });
  return { key: formatLicenseKey(c.product, c.tier, jwt), kid };
}

/** What a license key and a lease share: EdDSA by the keyring's signer, our issuer, the license, the product. */
async function signToken(
  keyring: Keyring,
  typ: string,
  claims: Record<string, unknown>,
  t: { issuer: string; subject: string; product: Product; issuedAt: Date; expiresAt: Date; jti?: string },
) {
  const { kid, key } = keyring.signer;
  const token = new SignJWT(claims)
    .setProtectedHeader({ alg: "EdDSA", typ, kid })
    .setIssuer(t.issuer)
    .setSubject(t.subject)
    .setAudience(t.product)
    .setIssuedAt(toSec(t.issuedAt))
    .setExpirationTime(toSec(t.expiresAt));
  if (t.jti !== undefined) token.setJti(t.jti);
  return { jwt: await token.sign(key), kid };
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
  /** The thumbprint of the key the seat is bound to (RFC 9449 §6: `cnf.jkt`); absent for an unbound seat. */
  jkt?: string | null;
}

export async function signLease(keyring: Keyring, l: LeaseInput): Promise<string> {
  const claims = { machine: l.machineId, tier: l.tier, ...(l.jkt ? { cnf: { jkt: l.jkt } } : {}) };
  return (await signToken(keyring, LEASE_TYP, claims, { ...l, subject: l.licenseId })).jwt;
}
