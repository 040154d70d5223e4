// Floor for requests that need the database once: one `select 1` through the production driver
// (drizzle-orm/neon-http over @neondatabase/serverless) and the same local Neon endpoint as the service.
import { neon, neonConfig } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-http";
import { Hono } from "hono";

type Bindings = { DATABASE_URL: string; NEON_HTTP_ENDPOINT?: string };

const app = new Hono<{ Bindings: Bindings }>();
app.all("*", async (c) => {
  if (c.req.method !== "GET") await c.req.text();
  if (c.env.NEON_HTTP_ENDPOINT) neonConfig.fetchEndpoint = c.env.NEON_HTTP_ENDPOINT;
  const db = drizzle({ client: neon(c.env.DATABASE_URL) });
  const result = await db.execute(sql`select 1 as one`);
  return c.json({ ok: true, rows: result.rows.length });
});

export default app;
