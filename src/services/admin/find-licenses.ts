import { asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Ctx } from "../../context";
import { activations, licenses, licenseTokens, subscriptions } from "../../db/schema";
import { AppError } from "../../errors";

export type LicenseOverview = Awaited<ReturnType<typeof findLicenses>>[number];

/** A buyer's licenses, matched case-insensitively (people type their address as they like). */
export const findLicensesByEmail = (ctx: Ctx, email: string) => findLicenses(ctx, sql`lower(${licenses.email}) = lower(${email.trim()})`);

export async function findLicenseById(ctx: Ctx, id: string): Promise<LicenseOverview> {
  const [found] = await findLicenses(ctx, eq(licenses.id, id));
  if (!found) throw new AppError("not_found", `No license ${id}.`);
  return found;
}

/** Everything support needs about some licenses, in two round trips whatever their number. */
async function findLicenses(ctx: Ctx, where: SQL) {
  const rows = await ctx.db.select().from(licenses).where(where).orderBy(desc(licenses.createdAt)).limit(100);
  if (rows.length === 0) return [];
  const ids = rows.map((l) => l.id);
  const subscriptionIds = rows.map((l) => l.subscriptionId).filter((id): id is string => !!id);
  const [machines, tokens, subs] = await ctx.db.batch([
    ctx.db.select().from(activations).where(inArray(activations.licenseId, ids)).orderBy(asc(activations.activatedAt)),
    ctx.db.select().from(licenseTokens).where(inArray(licenseTokens.licenseId, ids)).orderBy(desc(licenseTokens.issuedAt)),
    ctx.db.select().from(subscriptions).where(inArray(subscriptions.id, subscriptionIds.length ? subscriptionIds : ["-"])),
  ]);
  return rows.map((license) => ({
    license,
    newestKey: tokens.find((t) => t.licenseId === license.id)?.key ?? null,
    tokenCount: tokens.filter((t) => t.licenseId === license.id).length,
    activations: machines.filter((a) => a.licenseId === license.id),
    subscription: subs.find((s) => s.id === license.subscriptionId) ?? null,
  }));
}
