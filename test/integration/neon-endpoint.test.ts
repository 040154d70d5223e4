import { env } from "cloudflare:workers";
import { neon } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";
import { testDb } from "../support/db";

// The local Neon endpoint must behave like Neon's for the driver's type parsing and error fields,
// or dev and tests would pass on something production never sees.
describe("local Neon HTTP endpoint, through @neondatabase/serverless", () => {
  testDb(); // sets the driver's fetch endpoint for this isolate
  const sql = neon(env.DATABASE_URL);

  it("parses int8, numeric, timestamptz, jsonb, arrays, bytea, booleans and nulls as the driver does", async () => {
    const [row] = await sql`select
      9007199254740993::int8 as big,
      12.50::numeric as num,
      '2026-12-01T00:00:00Z'::timestamptz as ts,
      '{"a":[1,"é"],"b":null}'::jsonb as doc,
      array[1,2,3]::int4[] as ints,
      array['x','y,z']::text[] as texts,
      '\\x0102ff'::bytea as bin,
      true as yes,
      null::text as nothing`;
    expect(row).toMatchObject({
      big: "9007199254740993",
      num: "12.50",
      doc: { a: [1, "é"], b: null },
      ints: [1, 2, 3],
      texts: ["x", "y,z"],
      yes: true,
      nothing: null,
    });
    // The driver leaves timestamptz as Postgres's text (Neon's sessions run in UTC, as ours do).
    expect(row!.ts).toBe("2026-12-01 00:00:00+00");
    expect([...(row!.bin as Uint8Array)]).toEqual([1, 2, 255]);
  });

  it("passes parameters through, including unicode and arrays", async () => {
    const [row] = await sql`select ${"Résultat ✓"}::text as t, ${[4, 5]}::int4[] as a, ${{ k: 1 }}::jsonb as j`;
    expect(row).toEqual({ t: "Résultat ✓", a: [4, 5], j: { k: 1 } });
  });

  it("returns Postgres errors with their code and constraint", async () => {
    const table = `t_${crypto.randomUUID().replaceAll("-", "")}`;
    await sql.query(`create table ${table} (id int constraint ${table}_pk primary key)`);
    await sql.query(`insert into ${table} values (1)`);
    const err = await sql.query(`insert into ${table} values (1)`).catch((e) => e);
    expect(err).toMatchObject({ name: "NeonDbError", code: "23505", constraint: `${table}_pk` });
    const syntax = await sql.query("selec 1").catch((e) => e);
    expect(syntax).toMatchObject({ code: "42601" });
    await sql.query(`drop table ${table}`);
  });

  it("runs a batch as one transaction: a failing statement rolls back the others", async () => {
    const table = `t_${crypto.randomUUID().replaceAll("-", "")}`;
    await sql.query(`create table ${table} (id int primary key)`);
    const err = await sql
      .transaction([sql.query(`insert into ${table} values (1)`), sql.query(`insert into ${table} values (1)`)])
      .catch((e) => e);
    expect(err).toMatchObject({ code: "23505" });
    const rows = await sql.query(`select count(*)::int as n from ${table}`);
    expect(rows).toEqual([{ n: 0 }]);
    await sql.transaction([sql.query(`insert into ${table} values (2)`), sql.query(`insert into ${table} values (3)`)]);
    expect(await sql.query(`select count(*)::int as n from ${table}`)).toEqual([{ n: 2 }]);
    await sql.query(`drop table ${table}`);
  });
});
