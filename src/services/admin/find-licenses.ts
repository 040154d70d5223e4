import type { Ctx } from "../../context";
import { findLicenseOverviews, type LicenseOverview } from "../../db/queries/licenses";
import { NotFoundError } from "../../errors";

export type { LicenseOverview };

/** A buyer's licenses, matched case-insensitively (people type their address as they like). */
export const findLicensesByEmail = (ctx: Ctx, input: { email: string }) =>
  findLicenseOverviews(ctx.db, { email: input.email });

export async function findLicenseById(ctx: Ctx, input: { id: string }): Promise<LicenseOverview> {
  const [found] = await findLicenseOverviews(ctx.db, { id: input.id });
  if (!found) throw new NotFoundError("not_found", `No license ${input.id}.`);
  return found;
}
