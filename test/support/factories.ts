// Rows for one test at a time: every id is random, so tests never share data or depend on order.
// Each factory takes overrides for any column and returns the inserted row.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { createCtx } from "../../src/context";
import { customers, licenses, licenseTokens, subscriptions } from "../../src/db/schema";
import { addDays } from "../../src/lib/clock";
import { newId } from "../../src/lib/ids";
import { createLogger } from "../../src/lib/logger";
import { issueLicense, type IssueLicenseInput } from "../../src/services/licenses/issue-license";
import { testDb } from "./db";

export const randomSuffix = () => crypto.randomUUID().replaceAll("-", "").slice(0, 20);
export const randomEmail = () => `buyer-${randomSuffix()}@example.test`;

/** Inserts one row and returns it as stored. */
async function insertRow<T extends PgTable>(table: T, values: T["$inferInsert"]): Promise<T["$inferSelect"]> {
  const [row] = await testDb().insert(table).values(values).returning();
  return row!;
}

/** What a subscription or license is unless the test says otherwise. */
const ACTIVE_BASE = { product: "simpl-resultat", tier: "base", status: "active" } as const;

export async function insertCustomer(over: Partial<typeof customers.$inferInsert> = {}) {
  return insertRow(customers, {
    id: newId("cst"),
    email: randomEmail(),
    logtoUserId: `logto_${randomSuffix()}`,
    stripeCustomerId: `cus_test_${randomSuffix()}`,
    ...over,
  });
}

export async function insertSubscription(over: Partial<typeof subscriptions.$inferInsert> & { customerId: string }) {
  return insertRow(subscriptions, {
    id: newId("sbs"),
    stripeSubscriptionId: `sub_test_${randomSuffix()}`,
    ...ACTIVE_BASE,
    currentPeriodEnd: addDays(new Date(), 30),
    ...over,
  });
}

export async function insertLicense(over: Partial<typeof licenses.$inferInsert> = {}) {
  return insertRow(licenses, {
    id: newId("lic"),
    email: randomEmail(),
    ...ACTIVE_BASE,
    expiresAt: addDays(new Date(), 37),
    ...over,
  });
}

/** A token row with an opaque placeholder key: enough for endpoints that hand the key back verbatim. */
export async function insertLicenseToken(over: Partial<typeof licenseTokens.$inferInsert> & { licenseId: string }) {
  const now = new Date();
  return insertRow(licenseTokens, {
    jti: newId("jti"),
    key: `SR-BASE-placeholder.${randomSuffix()}.sig`,
    tier: "base",
    kid: "test-current",
    issuedAt: now,
    expiresAt: addDays(now, 37),
    ...over,
  });
}

/** Inside the 16–128 characters API.md allows. */
export const randomMachineId = () => `m-${crypto.randomUUID()}-xyz`;

/** The services' context as the worker builds it, for calling a service directly. */
export const serviceCtx = () => createCtx(env, createLogger({ test: true }));

type LicenseStatus = "active" | "revoked" | "suspended" | "expired";

/** A license and its first key, issued by the real service; `status` is then set in the row. */
export async function issueTestLicense(over: Partial<IssueLicenseInput> & { status?: LicenseStatus } = {}) {
  const { status, ...input } = over;
  const issued = await issueLicense(serviceCtx(), {
    email: randomEmail(),
    product: "simpl-resultat",
    tier: "base",
    expiresAt: addDays(new Date(), 365),
    ...input,
  });
  if (status && status !== "active")
    await testDb().update(licenses).set({ status }).where(eq(licenses.id, issued.license.id));
  return { id: issued.license.id, key: issued.token.key, license: issued.license, token: issued.token };
}
