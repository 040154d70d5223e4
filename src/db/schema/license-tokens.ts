import { index, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import { TIERS } from "../../domain/products";
import { licenseOfRow } from "./licenses";

/** Every signed key of a license; the newest is what activate/validate hand back to the app. */
export const licenseTokens = pgTable(
  "license_tokens",
  {
    jti: text().primaryKey(),
    licenseId: licenseOfRow(),
    key: text().notNull(),
    tier: text({ enum: TIERS }).notNull(),
    kid: text().notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    // A renewal re-delivered must not mint a second token for the same period and tier.
    unique().on(t.licenseId, t.tier, t.expiresAt),
    index().on(t.licenseId, t.issuedAt),
  ],
);
