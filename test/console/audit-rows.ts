// Reads of the audit log and of the rows an action changes, for the console and /admin tests.
import { eq, sql } from "drizzle-orm";
import { auditLog, stripeEvents } from "../../src/db/schema";
import { testDb } from "../support/db";

export const auditRowsOf = (target: string) =>
  testDb().select().from(auditLog).where(eq(auditLog.target, target)).orderBy(auditLog.at);

/** A failed event recorded as the dead-letter consumer records one, with a payload nothing applies. */
export async function insertFailedEvent() {
  const id = `evt_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const created = Math.floor(Date.now() / 1000);
  await testDb()
    .insert(stripeEvents)
    .values({
      id,
      type: "customer.created",
      createdSec: created,
      livemode: false,
      payload: { id, object: "event", type: "customer.created", created, livemode: false, data: { object: {} } },
      status: "failed",
      errorCode: "dead_lettered",
      lastError: "test: dead-lettered",
    });
  return id;
}

/** Postgres's now() is the transaction's start: equal times prove two rows were written by one batch. */
export async function transactionTime(table: "licenses", id: string): Promise<string> {
  const { rows } = await testDb().execute<{ t: string }>(
    sql`select updated_at::text as t from ${sql.identifier(table)} where id = ${id}`,
  );
  return rows[0]?.t ?? "";
}

export async function auditTimeOf(target: string): Promise<string[]> {
  const { rows } = await testDb().execute<{ t: string }>(
    sql`select at::text as t from audit_log where target = ${target} order by at`,
  );
  return rows.map((r) => r.t);
}
