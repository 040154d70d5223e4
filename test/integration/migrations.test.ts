import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../support/db";

describe("migrations", () => {
  it("created every table of the data model with its idempotency constraints", async () => {
    const db = testDb();
    const tables = await db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        "activations",
        "customers",
        "email_outbox",
        "license_tokens",
        "licenses",
        "payments",
        "stripe_events",
        "subscriptions",
      ]),
    );
    const uniques = await db.execute<{ table_name: string; columns: string }>(sql`
      select tc.table_name, string_agg(kcu.column_name, ',' order by kcu.ordinal_position) as columns
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name
      where tc.constraint_type in ('UNIQUE', 'PRIMARY KEY') and tc.table_schema = 'public'
      group by tc.table_name, tc.constraint_name`);
    const keys = uniques.rows.map((r) => `${r.table_name}(${r.columns})`);
    expect(keys).toEqual(
      expect.arrayContaining([
        "stripe_events(id)",
        "licenses(checkout_session_id)",
        "activations(license_id,machine_id,jkt)",
        "seat_proof_jtis(jkt,jti)",
        "email_outbox(idempotency_key)",
        "license_tokens(license_id,tier,expires_at)",
      ]),
    );
  });
});
