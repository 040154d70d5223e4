import type { Ctx } from "../../context";
import { pingDatabase } from "../../db/queries/health";
import { errorMessage } from "../../lib/logger";

/** False when the database does not answer. */
export async function isDatabaseUp(ctx: Ctx): Promise<boolean> {
  try {
    await pingDatabase(ctx.db);
    return true;
  } catch (err) {
    ctx.log.error("health: database did not answer", { error: errorMessage(err) });
    return false;
  }
}
