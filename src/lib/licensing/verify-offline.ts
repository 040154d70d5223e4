// Self-contained (only `jose`): the desktop apps copy this file as is, and the service verifies with it
// too, so both sides agree on what a valid key or lease is. Rules: docs/verifying-licenses.md.
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";

export const LICENSE_TYP = "JWT";
/** A distinct `typ`, so a lease never passes as a license key and a key never passes as a lease. */
export const LEASE_TYP = "lease+jwt";
export const ALGORITHMS = ["EdDSA"];

export const PRODUCT_PREFIXES = { "simpl-resultat": "SR", "simpl-liste": "SL" } as const;
export type LicenseProduct = keyof typeof PRODUCT_PREFIXES;
export type LicenseTier = "base" | "premium";

export interface LicenseClaims {
  iss: string;
  sub: string;
  aud: LicenseProduct;
  tier: LicenseTier;
  iat: number;
  exp: number;
  jti: string;
  email?: string;
  max_machines?: number;
}

export interface LeaseClaims {
  iss: string;
  sub: string;
  aud: LicenseProduct;
  machine: string;
  tier: LicenseTier;
  iat: number;
  exp: number;
}

export interface ParsedLicenseKey {
  product: LicenseProduct;
  tier: LicenseTier;
  jwt: string;
}

/** `valid` and `expired` both mean the signature and every claim checked out; `expired` is only past `exp`. */
export type LicenseKeyCheck =
  | { status: "valid" | "expired"; claims: LicenseClaims }
  | { status: "invalid"; reason: string };

export type LeaseCheck = { status: "valid" | "expired"; claims: LeaseClaims } | { status: "invalid"; reason: string };

export interface VerifyOptions {
  issuer: string;
  currentDate?: Date;
  /** Seconds of leeway on `exp`; the service uses 0, an app on a user's clock something like 60. */
  clockToleranceSec?: number;
}

const KEY_FORMAT = /^(SR|SL)-(BASE|PREMIUM)-([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

export function parseLicenseKey(key: string): ParsedLicenseKey | null {
  const match = KEY_FORMAT.exec(key);
  if (!match) return null;
  const [, prefix, tier, jwt] = match as unknown as [string, string, string, string];
  const product = (Object.keys(PRODUCT_PREFIXES) as LicenseProduct[]).find((p) => PRODUCT_PREFIXES[p] === prefix);
  if (!product) return null;
  return { product, tier: tier.toLowerCase() as LicenseTier, jwt };
}

export function formatLicenseKey(product: LicenseProduct, tier: LicenseTier, jwt: string): string {
  return `${PRODUCT_PREFIXES[product]}-${tier.toUpperCase()}-${jwt}`;
}

/**
 * Checks signature (EdDSA only), `typ`, issuer, audience = the product the prefix names, the required
 * claims, and that the prefix's tier is the token's tier. Pass `product` to also require that product.
 */
export async function verifyLicenseKeyOffline(
  key: string,
  keys: JWTVerifyGetKey,
  options: VerifyOptions & { product?: LicenseProduct },
): Promise<LicenseKeyCheck> {
  const parsed = parseLicenseKey(key.trim());
  if (!parsed) return { status: "invalid", reason: "format" };
  if (options.product && parsed.product !== options.product) return { status: "invalid", reason: "product" };
  const verified = await verifyJwt(parsed.jwt, keys, {
    ...options,
    typ: LICENSE_TYP,
    audience: parsed.product,
    requiredClaims: ["iss", "sub", "aud", "iat", "exp", "jti", "tier"],
  });
  return accepted(verified, (claims) => (claims.tier !== parsed.tier ? "tier" : undefined), isLicenseClaims);
}

/** A lease is bound to one license, one product and one machine. */
export async function verifyLeaseOffline(
  lease: string,
  keys: JWTVerifyGetKey,
  options: VerifyOptions & { product: LicenseProduct; machineId: string; licenseId?: string },
): Promise<LeaseCheck> {
  const verified = await verifyJwt(lease.trim(), keys, {
    ...options,
    typ: LEASE_TYP,
    audience: options.product,
    subject: options.licenseId,
    requiredClaims: ["iss", "sub", "aud", "iat", "exp", "machine", "tier"],
  });
  return accepted(verified, (claims) => (claims.machine !== options.machineId ? "machine" : undefined), isLeaseClaims);
}

type JwtCheck = { status: "valid" | "expired"; payload: JWTPayload } | { status: "invalid"; reason: string };

async function verifyJwt(
  jwt: string,
  keys: JWTVerifyGetKey,
  options: VerifyOptions & { typ: string; audience: string; subject?: string; requiredClaims: string[] },
): Promise<JwtCheck> {
  try {
    const { payload } = await jwtVerify(jwt, keys, {
      algorithms: ALGORITHMS,
      typ: options.typ,
      issuer: options.issuer,
      audience: options.audience,
      subject: options.subject,
      requiredClaims: options.requiredClaims,
      currentDate: options.currentDate,
      clockTolerance: options.clockToleranceSec ?? 0,
    });
    return { status: "valid", payload };
  } catch (err) {
    // jose checks `exp` after the signature and every other claim, so this payload is authentic.
    if (err instanceof errors.JWTExpired && err.claim === "exp") return { status: "expired", payload: err.payload };
    return { status: "invalid", reason: err instanceof errors.JOSEError ? err.code : "malformed" };
  }
}

/**
 * An authentic token's claims, once they say what the caller expects (`mismatch` names what does not:
 * the tier, the machine) and have the shape of their kind (`isClaims`, else "claims").
 */
function accepted<C extends JWTPayload>(
  verified: JwtCheck,
  mismatch: (claims: JWTPayload) => string | undefined,
  isClaims: (claims: JWTPayload) => claims is C,
): { status: "valid" | "expired"; claims: C } | { status: "invalid"; reason: string } {
  if (verified.status === "invalid") return verified;
  const claims = verified.payload;
  const reason = mismatch(claims);
  if (reason !== undefined) return { status: "invalid", reason };
  if (!isClaims(claims)) return { status: "invalid", reason: "claims" };
  return { status: verified.status, claims };
}

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;

function isLicenseClaims(c: JWTPayload): c is JWTPayload & LicenseClaims {
  return (
    isString(c.sub) &&
    isString(c.jti) &&
    typeof c.aud === "string" &&
    (c.email === undefined || typeof c.email === "string") &&
    (c.max_machines === undefined || Number.isInteger(c.max_machines))
  );
}

function isLeaseClaims(c: JWTPayload): c is JWTPayload & LeaseClaims {
  return isString(c.sub) && typeof c.aud === "string" && (c.tier === "base" || c.tier === "premium");
}
