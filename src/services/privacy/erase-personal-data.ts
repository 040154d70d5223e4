import { decodeJwt } from "jose";
import type { Ctx } from "../../context";
import { eraseMachineNames } from "../../db/queries/activations";
import { redactAuditReasons } from "../../db/queries/audit-log";
import { eraseCustomers } from "../../db/queries/customers";
import { eraseEmails } from "../../db/queries/email-outbox";
import { replaceTokenKey, selectTokensOfLicenses } from "../../db/queries/license-tokens";
import { eraseLicenseEmails } from "../../db/queries/licenses";
import { selectDataSubject } from "../../db/queries/personal-data";
import { eraseEventPayloads } from "../../db/queries/stripe-events";
import { isProduct } from "../../domain/products";
import { fromSec } from "../../lib/clock";
import { loadKeyring } from "../../lib/licensing/keyring";
import { signLicenseKey } from "../../lib/licensing/license-token";
import { parseLicenseKey } from "../../lib/licensing/verify-offline";
import { type Actor, auditStatement } from "../admin/audit";

export type ErasureRequest = { email: string } | { customerId: string };

export interface ErasureResult {
  /** Our ids of what the person's data was removed from (never the erased values). */
  customerIds: string[];
  licenseIds: string[];
  /** Rows changed per table. */
  removed: {
    customers: number;
    licenses: number;
    license_tokens: number;
    activations: number;
    email_outbox: number;
    stripe_events: number;
  };
}

/**
 * Erases a person on request (Law 25, GDPR art. 17; docs/privacy.md): their address and name fields,
 * machine names, and every payload and email body that holds them, from every table, in one
 * transaction. Licenses, seats, payments and tokens stay by id: a paid license keeps validating and
 * a later refund or dispute still applies. Keys issued before keys stopped carrying the address are
 * re-signed without it (same id, times and claims). Idempotent: a second call changes nothing.
 */
export async function erasePersonalData(ctx: Ctx, request: ErasureRequest, by: Actor): Promise<ErasureResult> {
  const subject = await selectDataSubject(ctx.db, request);
  // One audit entry per customer and license it touched (so each one's page shows it), naming ids
  // only; an erased address typed into this reason or an earlier one becomes `[erased]` (the
  // redaction runs after these entries in the same transaction, so it covers them too).
  const targets = [...subject.customerIds, ...subject.licenseIds];
  const now = ctx.clock.now();
  const resigned = await resignKeysWithAddress(ctx, subject.licenseIds);
  // The re-signed keys ride the same transaction, after the five erasures whose counts we answer.
  const [customers, licenses, activations, emails, events] = await ctx.db.batch([
    eraseCustomers(ctx.db, subject.customerIds, now),
    eraseLicenseEmails(ctx.db, subject.licenseIds, now),
    eraseMachineNames(ctx.db, subject.licenseIds),
    eraseEmails(ctx.db, subject),
    eraseEventPayloads(ctx.db, subject),
    ...resigned.map((t) => replaceTokenKey(ctx.db, t)),
    ...(targets.length > 0 ? targets : ["nobody"]).map((target) => auditStatement(ctx, by, "erase-customer", target)),
    ...(subject.emails.length > 0 ? [redactAuditReasons(ctx.db, subject.emails)] : []),
  ]);
  const result: ErasureResult = {
    customerIds: subject.customerIds,
    licenseIds: subject.licenseIds,
    removed: {
      customers: customers.length,
      licenses: licenses.length,
      license_tokens: resigned.length,
      activations: activations.length,
      email_outbox: emails.length,
      stripe_events: events.length,
    },
  };
  ctx.log.info("customer erased", { ...result.removed });
  return result;
}

/** The keys of these licenses that still carry an `email` claim, signed again without it. */
async function resignKeysWithAddress(ctx: Ctx, licenseIds: string[]) {
  if (licenseIds.length === 0) return [];
  const tokens = await selectTokensOfLicenses(ctx.db, licenseIds);
  const keyring = await loadKeyring(ctx.config.signingKeysJson);
  const resigned: { jti: string; key: string; kid: string }[] = [];
  for (const token of tokens) {
    const parsed = parseLicenseKey(token.key);
    if (!parsed) continue;
    const claims = decodeJwt(parsed.jwt);
    if (claims.email === undefined || !isProduct(claims.aud)) continue;
    const { key, kid } = await signLicenseKey(keyring, {
      issuer: ctx.config.licenseIssuer,
      licenseId: token.licenseId,
      product: claims.aud,
      tier: token.tier,
      jti: token.jti,
      issuedAt: fromSec(claims.iat ?? Math.floor(token.issuedAt.getTime() / 1000)),
      expiresAt: token.expiresAt,
      maxMachines: typeof claims.max_machines === "number" ? claims.max_machines : null,
    });
    resigned.push({ jti: token.jti, key, kid });
  }
  return resigned;
}
