import type { Ctx } from "../../context";
import { selectDataSubject, selectPersonalData } from "../../db/queries/personal-data";
import { licenseStanding } from "../../domain/license-standing";

/**
 * Everything we hold about the signed-in person (Law 25 / GDPR right of access; docs/privacy.md):
 * their customers, licenses with keys, machines and deactivations, payments, the emails we sent them
 * (without bodies) and the Stripe events that concern them (type and time). Two round trips.
 */
export async function readAccountData(ctx: Ctx, input: { logtoUserId: string }) {
  const subject = await selectDataSubject(ctx.db, { logtoUserId: input.logtoUserId });
  const [customers, licenses, keys, machines, deactivations, payments, emails, events] = await ctx.db.batch(
    selectPersonalData(ctx.db, subject),
  );
  const now = ctx.clock.now();
  return {
    customers,
    licenses: licenses.map((l) => ({
      ...l,
      status: licenseStanding(l, now),
      keys: keys.filter((k) => k.licenseId === l.id),
      machines: machines.filter((m) => m.licenseId === l.id),
      deactivations: deactivations.filter((d) => d.licenseId === l.id),
    })),
    payments,
    emails,
    events,
  };
}

export type AccountData = Awaited<ReturnType<typeof readAccountData>>;
