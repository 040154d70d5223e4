import type { Ctx } from "../../context";
import { rateLimited } from "../../lib/rate-limited";

/**
 * Once a key verifies: activate / validate / deactivate of one license, from wherever, share one
 * bucket keyed by the license id, not the presented text (padding a key changes nothing).
 */
export async function limitByLicense(ctx: Ctx, licenseId: string): Promise<void> {
  if (ctx.config.rateLimitDisabled) return;
  const { success } = await ctx.env.LICENSE_RATE_LIMITER.limit({ key: `license:${licenseId}` });
  if (!success) throw rateLimited();
}
