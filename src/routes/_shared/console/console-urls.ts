// The console's own addresses, built in one place: the pages link to them and the actions redirect to them.

export const licensePage = (licenseId: string) => `/console/licenses/${encodeURIComponent(licenseId)}`;

/** The audit trail of one target (a license, `lic_…/machines/…`, an event id). */
export const auditTrailOf = (target: string) => `/console/audit?target=${encodeURIComponent(target)}`;
