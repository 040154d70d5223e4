import { index, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The `jti` of every DPoP proof accepted, per key, for as long as the proof could be replayed
 * (its `iat` + DPOP_MAX_AGE_SECONDS): the primary key makes "seen before?" one atomic insert.
 */
export const seatProofJtis = pgTable(
  "seat_proof_jtis",
  {
    jkt: text().notNull(),
    jti: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.jkt, t.jti] }), index("seat_proof_jtis_expires_at_idx").on(t.expiresAt)],
);
