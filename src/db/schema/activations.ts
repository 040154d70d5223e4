import { jsonb, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import { licenseOfRow } from "./licenses";

/** The public key a bound seat's proofs are signed with (an Ed25519 JWK, RFC 7638 members only). */
export interface SeatPublicKey {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
}

export const activations = pgTable(
  "activations",
  {
    id: text().primaryKey(),
    licenseId: licenseOfRow(),
    machineId: text().notNull(),
    machineName: text(),
    platform: text(),
    appVersion: text(),
    activatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** RFC 7638 thumbprint of the install's key when the seat is bound to it (DPoP); null: unbound. */
    jkt: text(),
    publicKey: jsonb().$type<SeatPublicKey>(),
  },
  // A bound seat is its key's: the same machine id with another key is another seat. Nulls not
  // distinct, so a machine holds one unbound seat at most, as before.
  (t) => [unique("activations_license_machine_key_unique").on(t.licenseId, t.machineId, t.jkt).nullsNotDistinct()],
);
