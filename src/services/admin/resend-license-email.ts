import type { Ctx } from "../../context";
import { insertResentLicenseEmail } from "../../db/queries/email-outbox";
import { ConflictError } from "../../errors";
import { newId } from "../../lib/ids";
import { errorMessage } from "../../lib/logger";
import { licenseIssuedEmail } from "../email/license-issued-email";
import { type Actor, auditStatement } from "./audit";
import { findLicenseById, type LicenseOverview } from "./find-licenses";

/**
 * The license email again, with the license's newest key, to its address: a new outbox row (its own
 * Resend idempotency key) written with its audit entry, then queued like any license email.
 */
export async function sendLicenseEmailAgain(ctx: Ctx, input: { id: string; by: Actor }): Promise<LicenseOverview> {
  const overview = await findLicenseById(ctx, input);
  const { license, newestKey } = overview;
  if (!newestKey) throw new ConflictError("This license has no key to send.");
  if (!license.email) throw new ConflictError("This license's buyer was erased: there is no address to send to.");
  const { subject, text } = licenseIssuedEmail({ ...license, key: newestKey });
  const auditId = newId("aud");
  const [[row]] = await ctx.db.batch([
    insertResentLicenseEmail(ctx.db, {
      id: newId("eml"),
      auditId,
      licenseId: license.id,
      toEmail: license.email,
      subject,
      textBody: text,
    }),
    auditStatement(ctx, input.by, "resend-email", license.id, auditId),
  ]);
  try {
    if (row) await ctx.jobs.enqueueEmail(row.id);
  } catch (err) {
    // The row is written: the nightly reconcile sends what the queue refused.
    ctx.log.warn("resent license email not queued: left for the reconcile", {
      licenseId: license.id,
      error: errorMessage(err),
    });
  }
  ctx.log.info("license email resent by support", { licenseId: license.id });
  return overview;
}
