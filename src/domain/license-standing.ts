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
