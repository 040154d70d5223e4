import type { Ctx } from "../../context";
import { deleteActivation } from "../../db/queries/activations";
import { selectLicenseStanding } from "../../db/queries/licenses";
import { invalidLicense } from "../../domain/license-standing";
import { readLicenseKey } from "./read-license-key";

/**
 * Frees the machine's seat. Works whatever the license's standing (moving off a machine must
 * always be possible) and is idempotent: `removed` is false when the machine held no seat.
 */
export async function deactivateMachine(ctx: Ctx, input: { key: string; machineId: string }): Promise<{ removed: boolean }> {
  const presented = await readLicenseKey(ctx, input.key);
  if (!presented) throw invalidLicense();
  const [[license], deleted] = await ctx.db.batch([
    selectLicenseStanding(ctx.db, presented.licenseId),
    deleteActivation(ctx.db, presented.licenseId, input.machineId),
  ]);
  if (!license) throw invalidLicense();
  ctx.log.info("machine deactivated", { licenseId: license.id, removed: deleted.length > 0 });
  return { removed: deleted.length > 0 };
}
