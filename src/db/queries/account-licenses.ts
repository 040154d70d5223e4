import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { LicenseStatus } from "../../domain/license-standing";
import type { Db } from "../client";
import { activations, customers, licenses, subscriptions } from "../schema";
import { newestKeyOf } from "./license-tokens";
import { licenseSummaryColumns } from "./licenses";
import { allOf, anyOf } from "../conditions";

export interface MachineRow {
  machineId: string;
  machineName: string | null;
  platform: string | null;
  appVersion: string | null;
  activatedAt: Date;
  lastSeenAt: Date;
  /** The key the seat is bound to (DPoP), null when unbound. */
  jkt: string | null;
}

interface MachineJson extends Omit<MachineRow, "activatedAt" | "lastSeenAt"> {
  activatedAtMs: number;
  lastSeenAtMs: number;
}

const epochMs = (column: SQL) => sql`floor(extract(epoch from ${column}) * 1000)::bigint`;

/**
 * Licenses with their newest key and their machines, in one statement (a json aggregate per
 * license), newest first. What recovery emails and what the account page lists.
 */
async function selectLicensesWithMachines(db: Db, where: SQL) {
  const newestKey = newestKeyOf(db, licenses);
  // A query builder, not raw SQL: it qualifies the columns (raw `${column}` in a select renders bare names).
  const machineList = db
    .select({
      list: sql`json_agg(json_build_object(
        'machineId', ${activations.machineId}, 'machineName', ${activations.machineName},
        'platform', ${activations.platform}, 'appVersion', ${activations.appVersion}, 'jkt', ${activations.jkt},
        'activatedAtMs', ${epochMs(sql`${activations.activatedAt}`)}, 'lastSeenAtMs', ${epochMs(sql`${activations.lastSeenAt}`)}
      ) order by ${activations.activatedAt}, ${activations.machineId})`,
    })
    .from(activations)
    .where(eq(activations.licenseId, licenses.id));
  const machines = sql<MachineJson[]>`coalesce((${machineList}), '[]'::json)`;
  const rows = await db
    .select({
      ...licenseSummaryColumns,
      maxMachines: licenses.maxMachines,
      key: sql<string | null>`(${newestKey})`,
      machines,
    })
    .from(licenses)
    .where(where)
    .orderBy(desc(licenses.createdAt), licenses.id)
    .limit(100);
  return rows.map(({ machines: list, ...license }) => ({
    ...license,
    machines: list.map(
      ({ activatedAtMs, lastSeenAtMs, ...m }): MachineRow => ({
        ...m,
        activatedAt: new Date(Number(activatedAtMs)),
        lastSeenAt: new Date(Number(lastSeenAtMs)),
      }),
    ),
  }));
}

export type LicenseWithMachines = Awaited<ReturnType<typeof selectLicensesWithMachines>>[number];

/** The licenses bought with this address (compared lower-cased; `address` is lower-cased already) in these statuses. */
export const findLicensesOfAddress = (db: Db, address: string, statuses: LicenseStatus[]) =>
  selectLicensesWithMachines(db, allOf(sql`lower(${licenses.email}) = ${address}`, inArray(licenses.status, statuses)));

/**
 * The user's customers (a user may have several Stripe customers): their licenses, directly or
 * through a subscription of theirs.
 */
function ownedBy(db: Db, logtoUserId: string): SQL {
  const userCustomers = db.select({ id: customers.id }).from(customers).where(eq(customers.logtoUserId, logtoUserId));
  const userSubscriptions = db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(inArray(subscriptions.customerId, userCustomers));
  return anyOf(inArray(licenses.customerId, userCustomers), inArray(licenses.subscriptionId, userSubscriptions));
}

export const findLicensesOfUser = (db: Db, logtoUserId: string) =>
  selectLicensesWithMachines(db, ownedBy(db, logtoUserId));

export async function isLicenseOfUser(db: Db, licenseId: string, logtoUserId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: licenses.id })
    .from(licenses)
    .where(and(eq(licenses.id, licenseId), ownedBy(db, logtoUserId)));
  return !!row;
}
