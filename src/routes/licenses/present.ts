import type { LicenseStandingRow } from "../../db/queries/licenses";
import { toIsoSec } from "../../lib/clock";

/** The license as activate and validate show it; `status` is its standing now, not the stored word. */
export const presentLicense = (l: LicenseStandingRow & { standing: string }) => ({
  id: l.id,
  product: l.product,
  tier: l.tier,
  status: l.standing,
  expires_at: toIsoSec(l.expiresAt),
});
