import { z } from "@hono/zod-openapi";
import type { MachineRow } from "../../db/queries/account-licenses";
import type { LicenseStandingRow } from "../../db/queries/licenses";
import { LICENSE_STATUSES, type LicenseStatus, type Standing } from "../../domain/license-standing";
import { PRODUCT_IDS, TIERS } from "../../domain/products";
import { toIsoSec } from "../../lib/clock";
import { isoTime } from "./declare";

// A key is ~500 characters; the cap only keeps absurd input away from the verifier.
const licenseKeyField = z.string().trim().min(1).max(4096);
export const machineIdField = z.string().min(16).max(128);
/** What the seat routes (activate, validate, deactivate) are asked about: a key on a machine. */
export const SeatFields = { key: licenseKeyField, machine_id: machineIdField };

export const licenseKeyOut = z.string().describe("`<PREFIX>-<TIER>-<JWT>`, e.g. `SR-BASE-eyJ...`");
export const productField = z.enum(PRODUCT_IDS);
export const tierField = z.enum(TIERS);
export const licenseStatusField = z.enum(LICENSE_STATUSES);

export const LicenseSummary = z.object({
  id: z.string(),
  product: productField,
  tier: tierField,
  status: licenseStatusField.describe("the standing now"),
  expires_at: isoTime,
});

type SummaryRow = Pick<LicenseStandingRow, "id" | "product" | "tier" | "expiresAt">;

/** A license's summary with the status a view shows (its standing now, or the stored word). */
export const summarize = (l: SummaryRow, status: LicenseStatus): z.infer<typeof LicenseSummary> => ({
  id: l.id,
  product: l.product,
  tier: l.tier,
  status,
  expires_at: toIsoSec(l.expiresAt),
});

/** The license as activate and validate show it; `status` is its standing now, not the stored word. */
export const presentLicense = (l: SummaryRow & { standing: Standing }) => summarize(l, l.standing);

/** A seat as the account page and support see it. */
export const MachineSchema = z.object({
  machine_id: z.string(),
  machine_name: z.string().nullable(),
  platform: z.string().nullable(),
  app_version: z.string().nullable(),
  activated_at: isoTime,
  last_seen_at: isoTime,
  bound: z.boolean().describe("bound to an install's key (DPoP): only that install can validate or deactivate it"),
});

export const presentMachine = (m: MachineRow): z.infer<typeof MachineSchema> => ({
  machine_id: m.machineId,
  machine_name: m.machineName,
  platform: m.platform,
  app_version: m.appVersion,
  activated_at: toIsoSec(m.activatedAt),
  last_seen_at: toIsoSec(m.lastSeenAt),
  bound: m.jkt !== null,
});
