import type { Ctx } from "../../context";
import { findDisputesOfLicense, markDisputeRevokedLicense, type DisputeRow } from "../../db/queries/disputes";
import { DISPUTE_LOST } from "../../db/queries/licenses";
import { endedForUs, isAppealing, isLostDispute, isOpenDispute } from "../../domain/dispute-status";
import {
  reinstateAfterDisputeLoss,
  reinstateLicense,
  revokeLicense,
  suspendLicense,
} from "../licenses/set-license-status";

/**
 * What disputes whose state just changed (one event's, or those a checkout found waiting) do to their
 * license, judged with every other dispute of it: a loss revokes (and is remembered as the cause); a
 * dispute ended for us (`won`, `warning_closed`, `prevented`) lifts the suspension only when no other is
 * open, and, once no loss or appeal is left, brings back a license a lost dispute revoked; an open one
 * suspends; an appeal in progress changes nothing. Returns what it did, for the event log.
 */
export async function applyDisputes(ctx: Ctx, licenseId: string, changed: DisputeRow[]): Promise<string> {
  const lost = changed.find((d) => isLostDispute(d.status));
  if (lost) {
    if (await revokeLicense(ctx, { licenseId, reason: DISPUTE_LOST })) await markDisputeRevokedLicense(ctx.db, lost.id);
    return "revoked: dispute lost";
  }
  const all = await findDisputesOfLicense(ctx.db, licenseId);
  const stillOpen = all.some((d) => isOpenDispute(d.status));
  const endedWell = changed.some((d) => endedForUs(d.status));
  const lossStands = all.some((d) => isLostDispute(d.status) || isAppealing(d.status));
  if (endedWell && !lossStands && all.some((d) => d.revokedLicenseAt)) {
    const status = stillOpen ? "suspended" : "active";
    if (await reinstateAfterDisputeLoss(ctx, { licenseId, status })) return `appeal won: ${status}`;
  }
  if (stillOpen) {
    await suspendLicense(ctx, { licenseId });
    return endedWell ? "dispute ended, another still open: suspended" : "suspended: dispute open";
  }
  if (endedWell) {
    await reinstateLicense(ctx, { licenseId, from: ["suspended"] });
    return "reinstated: dispute ended for us";
  }
  return changed.some((d) => isAppealing(d.status)) ? "appeal in progress: nothing changes" : "nothing to change";
}
