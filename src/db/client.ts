import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import { BoundedMap } from "../lib/bounded-map";
import * as schema from "./schema";

function connect(databaseUrl: string) {
  return drizzle({ client: neon(databaseUrl), schema, casing: "snake_case" });
}

export type Db = ReturnType<typeof connect>;

// drizzle() walks the whole schema on creation: once per isolate, not per request. Safe to share:
// the neon-http client holds no connection, each query is its own fetch. Keyed by the configured
// URL (one in production); bounded all the same, as every module-level cache (lint/module-state.mjs).
const clients = new BoundedMap<string, Db>(8);

export function createDb(databaseUrl: string, neonHttpEndpoint?: string): Db {
  // Production talks to Neon's own endpoint; dev, tests and bench set a local one (same driver).
  if (neonHttpEndpoint) neonConfig.fetchEndpoint = neonHttpEndpoint;
  return clients.getOrSet(databaseUrl, () => connect(databaseUrl));
}
