import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Product } from "../../domain/products";
import type { Db } from "../client";
import { activations, deactivations, licenses } from "../schema";

export interface NewActivation {
  id: string;
  licenseId: string;
  product: Product;
  machineId: string;
  machineName: string | null;
  platform: string | null;
  appVersion: string | null;
  now: Date;
  defaultLimit: number;
}

/**
 * Inserts the activation only while the license is active, unexpired and has a free seat (the
 * machine's own row does not count against it); the same machine again just refreshes its row.
 * Run it in a batch after lockLicenseStanding: in READ COMMITTED this statement then counts
 * with a snapshot taken after the lock, so concurrent activations cannot overshoot the limit.
 */
export function insertActivationWithinLimit(db: Db, a: NewActivation) {
  const now = sql`${a.now.toISOString()}::timestamptz`;
  // Aliased because drizzle's insert-select matches the select's fields to the table's columns by name.
  const text = (v: string | null, alias: string) => sql`${v}::text`.as(alias);
  const otherMachines = db
    .select({ n: sql`count(*)` })
    .from(activations)
    .where(and(eq(activations.licenseId, licenses.id), sql`${activations.machineId} <> ${a.machineId}`));
  return db
    .insert(activations)
    .select(
      db
        .select({
          id: text(a.id, "id"),
          licenseId: licenses.id,
          machineId: text(a.machineId, "machine_id"),
          machineName: text(a.machineName, "machine_name"),
          platform: text(a.platform, "platform"),
          appVersion: text(a.appVersion, "app_version"),
          activatedAt: now.as("activated_at"),
          lastSeenAt: now.as("last_seen_at"),
        })
        .from(licenses)
        .where(
          and(
            eq(licenses.id, a.licenseId),
            eq(licenses.product, a.product),
            eq(licenses.status, "active"),
            sql`${licenses.expiresAt} > ${now}`,
            sql`(${otherMachines}) < coalesce(${licenses.maxMachines}, ${a.defaultLimit})`,
          ),
        ),
    )
    .onConflictDoUpdate({
      target: [activations.licenseId, activations.machineId],
      set: {
        lastSeenAt: sql`excluded.last_seen_at`,
        machineName: sql`coalesce(excluded.machine_name, ${activations.machineName})`,
        platform: sql`coalesce(excluded.platform, ${activations.platform})`,
        appVersion: sql`coalesce(excluded.app_version, ${activations.appVersion})`,
      },
    })
    .returning({ machineId: activations.machineId, activatedAt: activations.activatedAt });
}

/** Frees the seat whose deactivation `deactivationId` recorded (nothing when none was recorded). */
export const deleteDeactivatedSeat = (db: Db, d: { licenseId: string; machineId: string; deactivationId: string }) =>
  db
    .delete(activations)
    .where(
      and(
        eq(activations.licenseId, d.licenseId),
        eq(activations.machineId, d.machineId),
        sql`exists (select 1 from ${deactivations} where ${deactivations.id} = ${d.deactivationId})`,
      ),
    )
    .returning({ id: activations.id });

/** Erasure (docs/privacy.md): machine names are often a person's name; the seats stay. */
export const eraseMachineNames = (db: Db, licenseIds: string[]) =>
  db
    .update(activations)
    .set({ machineName: null })
    .where(and(inArray(activations.licenseId, licenseIds), isNotNull(activations.machineName)))
    .returning({ id: activations.id });

/** Support frees a seat by hand: no deactivation is counted against the buyer's limit. A statement, for a batch with its audit entry. */
export const deleteSeat = (db: Db, d: { licenseId: string; machineId: string }) =>
  db
    .delete(activations)
    .where(and(eq(activations.licenseId, d.licenseId), eq(activations.machineId, d.machineId)))
    .returning({ id: activations.id });
