import type { Ctx } from "../../context";
import { RateLimitedError } from "../../errors";

/**
 * Once a key verifies: activate / validate / deactivate of one license, from wherever, share one
 * bucket keyed by the license id, not the presented text (padding a key changes nothing).
 */
export async function limitByLicense(ctx: Ctx, licenseId: string): Promise<void> {
  if (!(await ctx.limits.allowLicense(licenseId))) throw new RateLimitedError();
}
