import { and, desc, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Tier } from "../../domain/products";
import type { Db } from "../client";
import { licenses, licenseTokens } from "../schema";

export type LicenseTokenRow = typeof licenseTokens.$inferSelect;

/**
 * The key to hand the app: of the license's current tier (a downgrade back to a tier re-uses that
 * tier's older token), then the latest expiry, then the latest issued. `tier` is the license's tier
 * column (or a subquery's). Every place that picks "the newest key" orders by this.
 */
export const newestTokenOrder = (tier: AnyPgColumn | SQL) =>
  [desc(sql`${licenseTokens.tier} = ${tier}`), desc(licenseTokens.expiresAt), desc(licenseTokens.issuedAt)] as const;

/** The newest key of the license row of the outer query, as a correlated subquery (`(${newestKeyOf(db, licenses)})`). */
export const newestKeyOf = (db: Db, license: { id: AnyPgColumn; tier: AnyPgColumn }) =>
  db
    .select({ key: licenseTokens.key })
    .from(licenseTokens)
    .where(eq(licenseTokens.licenseId, license.id))
    .orderBy(...newestTokenOrder(license.tier))
    .limit(1);

/** Takes an id or a subquery. */
export const selectNewestToken = (db: Db, licenseId: string | SQL) =>
  db
    .select(getTableColumns(licenseTokens))
    .from(licenseTokens)
    .innerJoin(licenses, eq(licenses.id, licenseTokens.licenseId))
    .where(eq(licenseTokens.licenseId, licenseId))
    .orderBy(...newestTokenOrder(licenses.tier))
    .limit(1);

export const selectTokenForPeriod = (db: Db, t: { licenseId: string; tier: Tier; expiresAt: Date }) =>
  db
    .select()
    .from(licenseTokens)
    .where(
      and(
        eq(licenseTokens.licenseId, t.licenseId),
        eq(licenseTokens.tier, t.tier),
        eq(licenseTokens.expiresAt, t.expiresAt),
      ),
    );

/** One token per (license, tier, expiry): a redelivered renewal stores nothing new. */
export const insertTokenIdempotently = (db: Db, token: LicenseTokenRow) =>
  db
    .insert(licenseTokens)
    .values(token)
    .onConflictDoNothing({
      target: [licenseTokens.licenseId, licenseTokens.tier, licenseTokens.expiresAt],
    });

/** The first token of a new license, in issueLicense's batch. */
export const insertToken = (db: Db, token: LicenseTokenRow) => db.insert(licenseTokens).values(token);

export const selectTokensOfLicenses = (db: Db, licenseIds: string[]) =>
  db.select().from(licenseTokens).where(inArray(licenseTokens.licenseId, licenseIds));

/** Erasure: a key signed again without personal data replaces the stored one (same jti, times and tier). */
export const replaceTokenKey = (db: Db, t: { jti: string; key: string; kid: string }) =>
  db.update(licenseTokens).set({ key: t.key, kid: t.kid }).where(eq(licenseTokens.jti, t.jti));
