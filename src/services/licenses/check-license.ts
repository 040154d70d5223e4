import type { Ctx } from "../../context";
import { selectValidationView, type LicenseStandingRow } from "../../db/queries/licenses";
import { licenseStanding, type Standing } from "../../domain/license-standing";
import { issueLease } from "./lease";
import { limitByLicense } from "./limit-by-license";
import { readLicenseKey } from "./read-license-key";

type ValidationCode = "valid" | "revoked" | "suspended" | "expired" | "invalid" | "not_activated" | "machine_limit";

export interface LicenseValidation {
  code: ValidationCode;
  license: (LicenseStandingRow & { standing: Standing }) | null;
  lease?: string;
  key?: string;
}

/** Answers instead of throwing: every outcome of a well-formed request is a code (API.md). */
export async function checkLicense(
  ctx: Ctx,
  input: { key: string; machineId?: string | null },
): Promise<LicenseValidation> {
  const presented = await readLicenseKey(ctx, input.key);
  if (!presented) return { code: "invalid", license: null };
  await limitByLicense(ctx, presented.licenseId);
  const machineId = input.machineId ?? null;
  const [view] = await selectValidationView(ctx.db, presented.licenseId, machineId);
  if (!view || view.product !== presented.product) return { code: "invalid", license: null };
  const { newestKey, seatsUsed, machineActivatedAt, ...row } = view;
  const standing = licenseStanding(row, ctx.clock.now());
  const license = { ...row, standing };
  if (standing !== "active") return { code: standing, license };

  const key = newestKey ?? input.key;
  if (machineId === null) return { code: "valid", license, key };
  if (machineActivatedAt)
    return { code: "valid", license, key, lease: await issueLease(ctx, { license: row, machineId }) };
  const limit = row.maxMachines ?? ctx.config.activationLimit;
  return { code: seatsUsed >= limit ? "machine_limit" : "not_activated", license, key };
}
