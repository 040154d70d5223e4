import type { Ctx } from "../../context";
import { selectValidationView, type LicenseStandingRow } from "../../db/queries/licenses";
import { licenseStanding, type Standing } from "../../domain/license-standing";
import { issueLease } from "./lease";
import { limitByLicense } from "./limit-by-license";
import { readLicenseKey } from "./read-license-key";
import { acceptSeatProof, chooseSeat, type ProofRequest } from "./seat-proof";
import { ProofRefusedError } from "../../errors";

type ValidationCode =
  | "valid"
  | "revoked"
  | "suspended"
  | "expired"
  | "invalid"
  | "not_activated"
  | "machine_limit"
  | "invalid_proof";

export interface LicenseValidation {
  code: ValidationCode;
  license: (LicenseStandingRow & { standing: Standing }) | null;
  lease?: string;
  key?: string;
}

/** Answers instead of throwing: every outcome of a well-formed request is a code (API.md). */
export async function checkLicense(
  ctx: Ctx,
  input: { key: string; machineId?: string | null; proof: ProofRequest },
): Promise<LicenseValidation> {
  const presented = await readLicenseKey(ctx, input.key);
  if (!presented) return { code: "invalid", license: null };
  let proof: Awaited<ReturnType<typeof acceptSeatProof>>;
  try {
    proof = await acceptSeatProof(ctx, input.proof);
  } catch (err) {
    if (err instanceof ProofRefusedError) return { code: "invalid_proof", license: null };
    throw err;
  }
  await limitByLicense(ctx, presented.licenseId);
  const machineId = input.machineId ?? null;
  const [view] = await selectValidationView(ctx.db, presented.licenseId, machineId);
  if (!view || view.product !== presented.product) return { code: "invalid", license: null };
  const { newestKey, seatsUsed, machineSeatKeys, ...row } = view;
  const standing = licenseStanding(row, ctx.clock.now());
  const license = { ...row, standing };
  if (standing !== "active") return { code: standing, license };

  const key = newestKey ?? input.key;
  if (machineId === null) return { code: "valid", license, key };
  const seat = chooseSeat(ctx, machineSeatKeys, proof);
  // Nothing of the license to whoever cannot prove the seat's key (a copied machine id).
  if (seat.kind === "refused") return { code: "invalid_proof", license: null };
  if (seat.kind === "seat")
    return { code: "valid", license, key, lease: await issueLease(ctx, { license: row, machineId, jkt: seat.jkt }) };
  const limit = row.maxMachines ?? ctx.config.activationLimit;
  return { code: seatsUsed >= limit ? "machine_limit" : "not_activated", license, key };
}
