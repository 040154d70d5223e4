import { env } from "cloudflare:workers";
import { neon } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../src/db/classify-error";
import { consume, stripeEventMessage } from "../support/queue";
import { testDb } from "../support/db";
import { issueTestLicense } from "../support/factories";
import { deliveredTo } from "../support/fakes/resend";
import { newPurchase } from "../support/fakes/stripe-events";
import { apiWithEnv, problemOf } from "../support/api";
import { expectProblem } from "../support/http";
import { eventRow, licenseOfSession, subscriptionCheckout, useStripeScenario } from "../support/stripe-scenario";
import { waitFor } from "../support/wait";

// Faults as Neon's proxy sends them, replayed by the local endpoint's fault switch for connection
// strings carrying `neon_fault=<scope>` (tools/local-stack/neon-http-endpoint.mjs), so the driver turns
// them into exactly the errors production sees.
const faultEndpoint = (scope: string) => env.NEON_HTTP_ENDPOINT!.replace(/\/sql$/, `/faults/${scope}`);
const faultyDatabaseUrl = (scope: string) =>
  `${env.DATABASE_URL}${env.DATABASE_URL.includes("?") ? "&" : "?"}neon_fault=${scope}`;

async function withFault<T>(
  fault: { status: number; body: Record<string, unknown> },
  run: (databaseUrl: string, end: () => Promise<void>) => Promise<T>,
) {
  const scope = `f-${crypto.randomUUID()}`;
  await fetch(faultEndpoint(scope), { method: "PUT", body: JSON.stringify(fault) });
  const end = async () => void (await fetch(faultEndpoint(scope), { method: "DELETE" }));
  try {
    return await run(faultyDatabaseUrl(scope), end);
  } finally {
    await end();
  }
}

const CONNECTION_CLOSED = { status: 400, body: { message: "connection closed", code: "" } };

// Exact bodies from proxy/src/serverless/sql_over_http.rs (`handle`), error.rs and tokio-postgres2's
// error/mod.rs, with the status Neon answers them with.
const neonErrors: { name: string; status: number; body: Record<string, unknown>; unavailable: boolean }[] = [
  {
    name: '400 connection closed, code ""',
    status: 400,
    body: { message: "connection closed", code: "" },
    unavailable: true,
  },
  {
    name: '400 error communicating with the server, code ""',
    status: 400,
    body: { message: "error communicating with the server: Connection reset by peer (os error 104)", code: "" },
    unavailable: true,
  },
  {
    name: '400 Query cancelled, code ""',
    status: 400,
    body: { message: "Query cancelled, connection was terminated", code: "" },
    unavailable: true,
  },
  {
    name: "400 Query cancelled, code 08P01",
    status: 400,
    body: { message: "Query cancelled, connection was terminated", code: "08P01" },
    unavailable: true,
  },
  {
    name: "400 57P01 admin shutdown",
    status: 400,
    body: { message: "terminating connection due to administrator command", code: "57P01", severity: "FATAL" },
    unavailable: true,
  },
  {
    name: "500 compute unreachable",
    status: 500,
    body: { message: "could not connect to compute", code: "" },
    unavailable: true,
  },
  { name: "503 from the platform", status: 503, body: { message: "service unavailable", code: "" }, unavailable: true },
  {
    name: "507 response too large",
    status: 507,
    body: { message: "response is too large (max is 10485760 bytes)", code: "" },
    unavailable: false,
  },
  {
    name: "413 request too large",
    status: 413,
    body: { message: "request is too large (max is 10485760 bytes)", code: "" },
    unavailable: false,
  },
  {
    name: "400 could not parse the body",
    status: 400,
    body: {
      message: "could not parse the HTTP request body: unexpected end of hex escape at line 1 column 40",
      code: "",
    },
    unavailable: false,
  },
  {
    name: "400 invalid isolation level",
    status: 400,
    body: { message: "invalid isolation level", code: "" },
    unavailable: false,
  },
  {
    name: "400 23505 unique violation",
    status: 400,
    body: {
      message: 'duplicate key value violates unique constraint "x_pk"',
      code: "23505",
      severity: "ERROR",
      constraint: "x_pk",
    },
    unavailable: false,
  },
];

describe("database errors classified as Neon really sends them", () => {
  testDb();

  it.each(neonErrors)("$name → unavailable: $unavailable", async ({ status, body, unavailable }) => {
    const err = await withFault({ status, body }, (url) =>
      neon(url)
        .query("select 1")
        .catch((e) => e),
    );
    expect(err).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(err)).toBe(unavailable);
  });

  it("a real unique violation from Postgres is not unavailable", async () => {
    const sql = neon(env.DATABASE_URL);
    const table = `t_${crypto.randomUUID().replaceAll("-", "")}`;
    await sql.query(`create table ${table} (id int primary key)`);
    await sql.query(`insert into ${table} values (1)`);
    const duplicate = await sql.query(`insert into ${table} values (1)`).catch((e) => e);
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
    await sql.query(`drop table ${table}`);
  });
});

describe('a Neon-shaped fault in front of the service (400 connection closed, code "")', () => {
  it("validate answers 503 + Retry-After during the fault; the purchase waits, then its key is emailed once the fault ends, no event failed", async () => {
    const { world, resend } = useStripeScenario();
    const { key } = await issueTestLicense({ product: "simpl-liste", tier: "premium" });
    const p = newPurchase();
    const e = subscriptionCheckout(p, world);

    await withFault(CONNECTION_CLOSED, async (databaseUrl, endFault) => {
      const bindings = { ...env, DATABASE_URL: databaseUrl };
      const answer = apiWithEnv({ DATABASE_URL: databaseUrl }).licenses.validate.$post({ header: {}, json: { key } });
      const validate = await problemOf(answer);
      expect(expectProblem(validate, 503, "unavailable").ok).toBe(true);
      expect(validate.headers.get("Retry-After")).toBe("5");

      // Past the attempts an unexpected error gets, a transient one is still retried, not dead-lettered.
      for (const attempts of [1, 3, 5]) {
        const during = await consume("maximus-events", [stripeEventMessage(e, attempts)], bindings);
        expect(during.explicitAcks).toEqual([]);
        expect(during.retryMessages).toHaveLength(1);
      }
      expect(await eventRow(e.id)).toBeNull();

      await endFault();
      const after = await consume("maximus-events", [stripeEventMessage(e, 6)], bindings);
      expect(after.explicitAcks).toHaveLength(1);
    });

    await licenseOfSession(p.sessionId);
    expect(await eventRow(e.id)).toMatchObject({ status: "processed", errorCode: null });
    await waitFor(async () => deliveredTo(resend, p.email)[0], { what: "the license email" });
    expect(deliveredTo(resend, p.email)).toHaveLength(1);
  });

  it("a permanent database error (507) is not retried for hours: dead-lettered after the few tries unexpected errors get", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase();
    const e = subscriptionCheckout(p, world);
    const tooLarge = { status: 507, body: { message: "response is too large (max is 10485760 bytes)", code: "" } };
    await withFault(tooLarge, async (databaseUrl) => {
      const bindings = { ...env, DATABASE_URL: databaseUrl };
      const first = await consume("maximus-events", [stripeEventMessage(e, 1)], bindings);
      expect(first.retryMessages).toHaveLength(1);
      const last = await consume("maximus-events", [stripeEventMessage(e, 3)], bindings);
      expect(last.retryMessages).toEqual([]);
      expect(last.explicitAcks).toHaveLength(1); // acked after being sent to the dead-letter queue
    });
  });
});
