import type { LicenseStandingRow } from "../../db/queries/licenses";
import { AppError } from "../../errors";

export type Standing = "active" | "revoked" | "suspended" | "expired";

/**
 * The license row decides, never the token: revocation applies to every token of a license, and a
 * renewal extends `expires_at` without the app's older token changing. Precedence per API.md.
 */
export function licenseStanding(license: Pick<LicenseStandingRow, "status" | "expiresAt">, now: Date): Standing {
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

export function standingError(standing: Exclude<Standing, "active">): AppError {
  const [code, detail] = STANDING_ERRORS[standing];
  return new AppError(code, detail);
}

export const invalidLicense = () => new AppError("invalid_license", "The license key is not valid.");
