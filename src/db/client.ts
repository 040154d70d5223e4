import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import * as schema from "./schema";

function connect(databaseUrl: string) {
  return drizzle({ client: neon(databaseUrl), schema, casing: "snake_case" });
}

export type Db = ReturnType<typeof connect>;

// drizzle() walks the whole schema on creation: once per isolate, not per request. Safe to share:
// the neon-http client holds no connection, each query is its own fetch.
const clients = new Map<string, Db>();

export function createDb(databaseUrl: string, neonHttpEndpoint?: string): Db {
  // Production talks to Neon's own endpoint; dev, tests and bench set a local one (same driver).
  if (neonHttpEndpoint) neonConfig.fetchEndpoint = neonHttpEndpoint;
  let db = clients.get(databaseUrl);
  if (!db) {
    db = connect(databaseUrl);
    clients.set(databaseUrl, db);
  }
  return db;
}
