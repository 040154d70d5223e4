import { sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { errorMessage } from "../../lib/logger";

/** One round trip through the same driver every request uses; false when it does not answer. */
export async function isDatabaseUp(ctx: Ctx): Promise<boolean> {
  try {
    await ctx.db.execute(sql`select 1`);
    return true;
  } catch (err) {
    ctx.log.error("health: database did not answer", { error: errorMessage(err) });
    return false;
  }
}
