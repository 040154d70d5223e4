import { LicenseRefusedError } from "./errors";

/** licenses.status as stored. */
export const LICENSE_STATUSES = ["active", "revoked", "suspended", "expired"] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

export type Standing = LicenseStatus;

/**
 * The license row decides, never the token: revocation applies to every token of a license, and a
 * renewal extends `expires_at` without the app's older token changing. Precedence per API.md.
 */
export function licenseStanding(license: { status: LicenseStatus; expiresAt: Date }, now: Date): Standing {
  switch (license.status) {
    case "active":
      return license.expiresAt <= now ? "expired" : "active";
    case "suspended":
    case "expired":
      return license.status;
    default:
      // "revoked", and fail closed on a status we do not know.
      return "revoked";
  }
}

const STANDING_ERRORS = {
  revoked: ["license_revoked", "This license has been revoked."],
  suspended: ["license_suspended", "This license is suspended while a payment dispute is open."],
  expired: ["license_expired", "This license has expired."],
} as const;

export function standingError(standing: Exclude<Standing, "active">): LicenseRefusedError {
  const [code, detail] = STANDING_ERRORS[standing];
  return new LicenseRefusedError(code, detail);
}

export const invalidLicense = () => new LicenseRefusedError("invalid_license", "The license key is not valid.");
