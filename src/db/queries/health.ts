import { sql } from "drizzle-orm";
import type { Db } from "../client";

/** One round trip through the same driver every request uses. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
