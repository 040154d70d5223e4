import { Hono } from "hono";
import type { AppEnv } from "../env";
import { problemResponse } from "../errors";
import { isDatabaseUp } from "../services/health/check-database";

export const health = new Hono<AppEnv>().get("/health", async (c) => {
  if (await isDatabaseUp(c.get("services"))) return c.json({ status: "ok" });
  return problemResponse("unavailable", "The database did not answer.", { headers: { "Retry-After": "5" } });
});
