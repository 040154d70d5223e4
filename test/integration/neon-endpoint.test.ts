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

// Each rule the stand-in copies from Neon's proxy (cited in tools/local-stack/neon-http-endpoint.mjs),
// seen as the driver sees it: a 400 becomes a NeonDbError with the body's fields, anything else
// "Server error (HTTP status N): <body>".
describe("local Neon HTTP endpoint: conformance with Neon's proxy", () => {
  testDb();
  const sql = neon(env.DATABASE_URL);
  const newTable = () => `t_${crypto.randomUUID().replaceAll("-", "")}`;
  const exists = async (table: string) => (await sql.query(`select to_regclass($1) is not null as e`, [table]))[0]!.e;
  const faultUrl = (scope: string) => env.NEON_HTTP_ENDPOINT!.replace(/\/sql$/, `/faults/${scope}`);

  it("runs a query with the extended protocol: two statements in one query are a 42601 and neither runs", async () => {
    const table = newTable();
    const err = await sql.query(`create table ${table} (id int); insert into ${table} values (1)`).catch((e) => e);
    expect(err).toMatchObject({ name: "NeonDbError", code: "42601" });
    expect(err.message).toBe("cannot insert multiple commands into a prepared statement");
    expect(await exists(table)).toBe(false);
  });

  it("resets the session before a connection is reused: settings, advisory locks and temp tables do not leak", async () => {
    await sql.query("set application_name = 'leaky'");
    await sql.query("select pg_advisory_lock(424242)");
    await sql.query("create temp table leaky_temp (id int)");
    // Sequential requests reuse the same pooled connection: each of these would see the leftovers.
    expect((await sql.query("show application_name"))[0]!.application_name).not.toBe("leaky");
    expect((await sql.query("select to_regclass('pg_temp.leaky_temp') is null as gone"))[0]).toEqual({ gone: true });
    const held = await sql.query(
      "select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = 424242",
    );
    expect(held).toEqual([{ n: 0 }]);
  });

  it("parses the body as strictly as serde_json: a lone surrogate is a 400 with Neon's message and nothing runs", async () => {
    const table = newTable();
    await sql.query(`create table ${table} (t text)`);
    const err = await sql.query(`insert into ${table} values ($1)`, ["broken \ud83d"]).catch((e) => e);
    expect(err).toMatchObject({ name: "NeonDbError", code: "" });
    expect(err.message).toMatch(
      /^could not parse the HTTP request body: unexpected end of hex escape at line 1 column \d+$/,
    );
    const trailing = await sql.query(`insert into ${table} values ($1)`, ["\udc00"]).catch((e) => e);
    expect(trailing.message).toMatch(/^could not parse the HTTP request body: lone leading surrogate in hex escape/);
    await sql.query(`insert into ${table} values ($1)`, ["a whole pair 😀"]);
    expect(await sql.query(`select t from ${table}`)).toEqual([{ t: "a whole pair 😀" }]);
    await sql.query(`drop table ${table}`);
  });

  it("refuses a request body over 10 MiB with 413, and a response over 10 MiB with 507", async () => {
    const big = "x".repeat(10 * 1024 * 1024 + 1);
    const request = await sql.query("select length($1) as n", [big]).catch((e) => e);
    expect(request.message).toMatch(
      /^Server error \(HTTP status 413\): .*request is too large \(max is 10485760 bytes\)/,
    );
    const response = await sql.query("select repeat('x', 1048576) from generate_series(1, 12)").catch((e) => e);
    expect(response.message).toMatch(
      /^Server error \(HTTP status 507\): .*response is too large \(max is 10485760 bytes\)/,
    );
    // Just under both limits is fine.
    expect(await sql.query("select length($1) as n", ["x".repeat(1024 * 1024)])).toEqual([{ n: 1048576 }]);
  });

  it("refuses an unknown isolation level with 400, before anything runs", async () => {
    const table = newTable();
    const err = await sql
      .transaction([sql.query(`create table ${table} (id int)`)], { isolationLevel: "Chaotic" as "Serializable" })
      .catch((e) => e);
    expect(err).toMatchObject({ name: "NeonDbError", message: "invalid isolation level", code: "" });
    expect(await exists(table)).toBe(false);
  });

  it("sends errors with Neon's keys: null when absent, code and severity \"\" for errors that are not Postgres's", async () => {
    const raw = await fetch(env.NEON_HTTP_ENDPOINT!, {
      method: "POST",
      headers: { "Neon-Connection-String": env.DATABASE_URL, "Neon-Batch-Isolation-Level": "Chaotic" },
      body: JSON.stringify({ queries: [] }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({
      message: "invalid isolation level",
      code: "",
      detail: null,
      hint: null,
      position: null,
      internalPosition: null,
      internalQuery: null,
      severity: "",
      where: null,
      table: null,
      column: null,
      schema: null,
      dataType: null,
      constraint: null,
      file: null,
      line: null,
      routine: null,
    });
    const pgErr = await fetch(env.NEON_HTTP_ENDPOINT!, {
      method: "POST",
      headers: { "Neon-Connection-String": env.DATABASE_URL },
      body: JSON.stringify({ query: "select 1/0", params: [] }),
    });
    expect(pgErr.status).toBe(400);
    expect(await pgErr.json()).toMatchObject({
      message: "division by zero",
      code: "22012",
      severity: "ERROR",
      detail: null,
      constraint: null,
      routine: expect.any(String),
    });
  });

  it('answers 400 `connection closed` with code "" when the backend connection drops mid-query', async () => {
    const scope = `drop-${crypto.randomUUID()}`;
    await fetch(faultUrl(scope), { method: "PUT", body: JSON.stringify({ action: "drop-connection" }) });
    try {
      const faulty = neon(`${env.DATABASE_URL}${env.DATABASE_URL.includes("?") ? "&" : "?"}neon_fault=${scope}`);
      const err = await faulty.query("select pg_sleep(0.5)").catch((e) => e);
      expect(err).toMatchObject({ name: "NeonDbError", message: "connection closed", code: "" });
    } finally {
      await fetch(faultUrl(scope), { method: "DELETE" });
    }
    expect(await sql.query("select 1 as ok")).toEqual([{ ok: 1 }]);
  });

  it("answers 500 when the database refuses the connection", async () => {
    const refused = neon("postgresql://postgres:postgres@127.0.0.1:1/maximus");
    const err = await refused.query("select 1").catch((e) => e);
    expect(err.message).toMatch(/^Server error \(HTTP status 500\): .*could not connect to postgres in compute/);
  });
});
