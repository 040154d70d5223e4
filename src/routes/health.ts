import { Hono } from "hono";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../env";
import { problemResponse } from "../errors";
import { errorMessage } from "../lib/logger";

export const health = new Hono<AppEnv>().get("/health", async (c) => {
  const { db, log } = c.get("services");
  try {
    await db.execute(sql`select 1`);
    return c.json({ status: "ok" });
  } catch (err) {
    log.error("health: database did not answer", { error: errorMessage(err) });
    return problemResponse("unavailable", "The database did not answer.", { headers: { "Retry-After": "5" } });
  }
});
