import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Product } from "../../domain/products";
import type { Db } from "../client";
import { allOf } from "../conditions";
import { activations, deactivations, licenses, type SeatPublicKey } from "../schema";

/** `jkt` null is the unbound seat; undefined, every seat of the machine (the account page frees a machine). */
const seatKeyIs = (jkt: string | null | undefined) =>
  jkt === undefined ? undefined : jkt === null ? isNull(activations.jkt) : eq(activations.jkt, jkt);

/** The machine's seats on the license: the one bound to `jkt`, the unbound one (null), or all (undefined). */
export const machineSeats = (s: { licenseId: string; machineId: string; jkt?: string | null }) =>
  allOf(eq(activations.licenseId, s.licenseId), eq(activations.machineId, s.machineId), seatKeyIs(s.jkt));

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
  /** Bound to this key (DPoP); null: an unbound seat, as before proofs. */
  key: { jkt: string; publicKey: SeatPublicKey } | null;
}

/**
 * Inserts the activation only while the license is active, unexpired and has a free seat (the
 * seat's own row does not count against it); the same seat again just refreshes its row. A seat is
 * (machine, key): the same machine with another key is another seat.
 * Run it in a batch after lockLicenseStanding: in READ COMMITTED this statement then counts
 * with a snapshot taken after the lock, so concurrent activations cannot overshoot the limit.
 */
export function insertActivationWithinLimit(db: Db, a: NewActivation) {
  const now = sql`${a.now.toISOString()}::timestamptz`;
  // Aliased because drizzle's insert-select matches the select's fields to the table's columns by name.
  const text = (v: string | null, alias: string) => sql`${v}::text`.as(alias);
  const jkt = a.key?.jkt ?? null;
  const otherSeats = db
    .select({ n: sql`count(*)` })
    .from(activations)
    .where(
      and(
        eq(activations.licenseId, licenses.id),
        sql`not (${activations.machineId} = ${a.machineId} and ${activations.jkt} is not distinct from ${jkt}::text)`,
      ),
    );
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
          jkt: sql`${jkt}::text`.as("jkt"),
          publicKey: sql`${a.key ? JSON.stringify(a.key.publicKey) : null}::jsonb`.as("public_key"),
        })
        .from(licenses)
        .where(
          and(
            eq(licenses.id, a.licenseId),
            eq(licenses.product, a.product),
            eq(licenses.status, "active"),
            sql`${licenses.expiresAt} > ${now}`,
            sql`(${otherSeats}) < coalesce(${licenses.maxMachines}, ${a.defaultLimit})`,
          ),
        ),
    )
    .onConflictDoUpdate({
      target: [activations.licenseId, activations.machineId, activations.jkt],
      set: {
        lastSeenAt: sql`excluded.last_seen_at`,
        machineName: sql`coalesce(excluded.machine_name, ${activations.machineName})`,
        platform: sql`coalesce(excluded.platform, ${activations.platform})`,
        appVersion: sql`coalesce(excluded.app_version, ${activations.appVersion})`,
      },
    })
    .returning({ machineId: activations.machineId, activatedAt: activations.activatedAt, jkt: activations.jkt });
}

/**
 * A machine's unbound seat becomes bound to the key it is re-activated with (an install that now
 * proves a key keeps its seat), unless that machine already holds a seat of that key. Run it in the
 * activation batch after lockLicenseStanding, before insertActivationWithinLimit (which then refreshes it).
 */
export function bindUnboundSeat(
  db: Db,
  a: { licenseId: string; machineId: string; key: { jkt: string; publicKey: SeatPublicKey } | null },
) {
  const jkt = a.key?.jkt ?? null;
  const sameKeySeat = db
    .select({ id: activations.id })
    .from(activations)
    .where(and(machineSeats(a), eq(activations.jkt, sql`${jkt}::text`)));
  return db
    .update(activations)
    .set({ jkt, publicKey: a.key?.publicKey ?? null })
    .where(
      and(
        sql`${jkt !== null}::boolean`, // without a key there is nothing to bind: the statement changes nothing
        machineSeats({ ...a, jkt: null }),
        sql`not exists (${sameKeySeat})`,
      ),
    )
    .returning({ id: activations.id });
}

/** The key thumbprint of each seat the machine holds on the license (null: its unbound seat). */
export const selectSeatKeysOfMachine = (db: Db, licenseId: string, machineId: string) =>
  db.select({ jkt: activations.jkt }).from(activations).where(machineSeats({ licenseId, machineId }));

/** Frees the seat (or the machine's seats) whose deactivation `deactivationId` recorded (nothing when none was recorded). */
export const deleteDeactivatedSeat = (
  db: Db,
  d: { licenseId: string; machineId: string; jkt?: string | null; deactivationId: string },
) =>
  db
    .delete(activations)
    .where(
      and(
        machineSeats(d),
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
  db.delete(activations).where(machineSeats(d)).returning({ id: activations.id });
