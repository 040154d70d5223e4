import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import * as schema from "./schema";

export function createDb(databaseUrl: string, neonHttpEndpoint?: string) {
  // Production talks to Neon's own endpoint; dev, tests and bench set a local one (same driver).
  if (neonHttpEndpoint) neonConfig.fetchEndpoint = neonHttpEndpoint;
  return drizzle({ client: neon(databaseUrl), schema, casing: "snake_case" });
}

export type Db = ReturnType<typeof createDb>;
