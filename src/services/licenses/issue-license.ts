import type { Ctx } from "../../context";
import { isUniqueViolation } from "../../db/classify-error";
import { insertLicenseIssuedEmail } from "../../db/queries/email-outbox";
import { insertToken, selectNewestToken } from "../../db/queries/license-tokens";
import {
  CHECKOUT_SESSION_UNIQUE,
  insertLicense,
  licenseIdForCheckoutSession,
  selectLicenseByCheckoutSession,
  type LicenseRow,
} from "../../db/queries/licenses";
import type { Product, Tier } from "../../domain/products";
import { truncateToSec } from "../../lib/clock";
import { newId } from "../../lib/ids";
import { type Actor, auditStatement } from "../admin/audit";
import { licenseIssuedEmail } from "../email/license-issued-email";
import { signLicenseToken, toMintedToken, type MintedToken } from "./mint-license-token";
import { required } from "../../lib/required";

export interface IssueLicenseInput {
  email: string;
  product: Product;
  tier: Tier;
  expiresAt: Date;
  customerId?: string | null;
  subscriptionId?: string | null;
  checkoutSessionId?: string | null;
  maxMachines?: number | null;
  /** Queues the key by email (email_outbox, idempotency key `license-issued/<license id>`). */
  sendEmail?: boolean;
  /** Issued on an operator's word (support, by hand): audited in the same batch. */
  by?: Actor;
}

export interface IssuedLicense {
  license: LicenseRow;
  token: MintedToken;
  created: boolean;
}

/**
 * Creates a license, its first token and (optionally) its email in one transaction. With a
 * checkoutSessionId it is idempotent: a second call returns the license the first one created.
 */
export async function issueLicense(ctx: Ctx, input: IssueLicenseInput): Promise<IssuedLicense> {
  const id = newId("lic");
  const expiresAt = truncateToSec(input.expiresAt);
  const token = await signLicenseToken(ctx, { ...input, id, expiresAt });
  const license = insertLicense(ctx.db, {
    id,
    email: input.email,
    product: input.product,
    tier: input.tier,
    expiresAt,
    maxMachines: input.maxMachines ?? null,
    customerId: input.customerId ?? null,
    subscriptionId: input.subscriptionId ?? null,
    checkoutSessionId: input.checkoutSessionId ?? null,
  });
  const firstToken = insertToken(ctx.db, { ...token, licenseId: id });
  const { subject, text } = licenseIssuedEmail({ ...input, key: token.key, expiresAt });
  const email = insertLicenseIssuedEmail(ctx.db, {
    id: newId("eml"),
    licenseId: id,
    toEmail: input.email,
    subject,
    textBody: text,
  });
  try {
    const audit = input.by ? [auditStatement(ctx, input.by, "issue", id)] : [];
    const [inserted] = await ctx.db.batch([license, firstToken, ...(input.sendEmail ? [email] : []), ...audit]);
    ctx.log.info("license issued", { licenseId: id, product: input.product, tier: input.tier });
    return { license: required(inserted[0], "the inserted license"), token, created: true };
  } catch (err) {
    // The whole batch rolled back: the license of this checkout session exists already (redelivery).
    if (!input.checkoutSessionId || !isUniqueViolation(err, CHECKOUT_SESSION_UNIQUE)) throw err;
    return readIssuedLicense(ctx, input.checkoutSessionId);
  }
}

async function readIssuedLicense(ctx: Ctx, checkoutSessionId: string): Promise<IssuedLicense> {
  const [[license], [token]] = await ctx.db.batch([
    selectLicenseByCheckoutSession(ctx.db, checkoutSessionId),
    selectNewestToken(ctx.db, licenseIdForCheckoutSession(checkoutSessionId)),
  ]);
  // safe because the unique violation we just caught means this session's license and its first token were committed together.
  return {
    license: required(license, "the committed license"),
    token: toMintedToken(required(token, "its first token")),
    created: false,
  };
}
