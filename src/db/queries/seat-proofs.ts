import { lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { seatProofJtis } from "../schema";

/** Expired jtis removed per accepted proof: enough to keep up, small enough to stay cheap. */
const PRUNE_BATCH = 100;

/**
 * Remembers an accepted proof's `jti` for its key until `expiresAt`; true when it was new. One
 * insert on the primary key, so two requests replaying one proof at once cannot both get true.
 * The same batch forgets up to PRUNE_BATCH expired jtis, skipping rows another request holds (no
 * waiting, no deadlock).
 */
export async function rememberProofJti(
  db: Db,
  p: { jkt: string; jti: string; expiresAt: Date; now: Date },
): Promise<boolean> {
  const expired = db
    .select({ jkt: seatProofJtis.jkt, jti: seatProofJtis.jti })
    .from(seatProofJtis)
    .where(lt(seatProofJtis.expiresAt, p.now))
    .limit(PRUNE_BATCH)
    .for("update", { skipLocked: true });
  const [, inserted] = await db.batch([
    db.delete(seatProofJtis).where(sql`(${seatProofJtis.jkt}, ${seatProofJtis.jti}) in (${expired})`),
    db
      .insert(seatProofJtis)
      .values({ jkt: p.jkt, jti: p.jti, expiresAt: p.expiresAt })
      .onConflictDoNothing()
      .returning({ jti: seatProofJtis.jti }),
  ]);
  return inserted.length === 1;
}
