import { env } from "cloudflare:workers";
import { createDb } from "../../src/db/client";

/** The same driver and database the worker uses, for arranging rows and asserting what was written. */
export const testDb = () => createDb(env.DATABASE_URL, env.NEON_HTTP_ENDPOINT);
