// Startup floor (issue 25): a worker holding only what every request of the service needs — Hono,
// @hono/zod-openapi with one route and its schema, the Neon driver under Drizzle, jose — bundled as
// the service is (`wrangler deploy --dry-run`, minified, the same [alias]). Its start, measured beside
// the service's in the same run, is the least the service's stack can start in; everything above it
// is module scope of ours.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { neon, neonConfig } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/neon-http";
import { decodeProtectedHeader } from "jose";

type Bindings = { DATABASE_URL: string; NEON_HTTP_ENDPOINT?: string };

const route = createRoute({
  method: "post",
  path: "/licenses/validate",
  request: {
    body: {
      required: true,
      content: {
        "application/json": { schema: z.object({ key: z.string().max(4096), machine_id: z.string().optional() }) },
      },
    },
  },
  responses: {
    200: {
      description: "ok",
      content: { "application/json": { schema: z.object({ ok: z.boolean(), typ: z.string().optional() }) } },
    },
  },
});

const app = new OpenAPIHono<{ Bindings: Bindings }>().openapi(route, async (c) => {
  const { key } = c.req.valid("json");
  if (c.env.NEON_HTTP_ENDPOINT) neonConfig.fetchEndpoint = c.env.NEON_HTTP_ENDPOINT;
  const db = drizzle({ client: neon(c.env.DATABASE_URL) });
  await db.execute(sql`select 1 as one`);
  let typ: string | undefined;
  try {
    typ = decodeProtectedHeader(key).typ;
  } catch {
    // not a JWT: the floor answers all the same
  }
  return c.json({ ok: true, typ }, 200);
});

export default app;
