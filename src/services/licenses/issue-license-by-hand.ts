import type { Ctx } from "../../context";
import { InvalidInputError } from "../../errors";
import type { Product, Tier } from "../../domain/products";
import { addDays } from "../../lib/clock";
import type { Actor } from "../admin/audit";
import { queueLicenseEmail } from "../email/queue-license-email";
import { issueLicense, type IssuedLicense } from "./issue-license";

export type GenerateLicenseInput = {
  email: string;
  product: Product;
  tier: Tier;
  sendEmail: boolean;
  by: Actor;
} & ({ expiresAt: Date; durationDays?: undefined } | { durationDays: number; expiresAt?: undefined });

/** Support's manual issuance: a fixed end date or a number of days from now. */
export async function issueLicenseByHand(ctx: Ctx, input: GenerateLicenseInput): Promise<IssuedLicense> {
  const now = ctx.clock.now();
  const expiresAt = input.expiresAt ?? addDays(now, input.durationDays);
  if (expiresAt <= now)
    throw new InvalidInputError("The request has invalid fields.", [
      { path: "expires_at", message: "must be in the future" },
    ]);
  const issued = await issueLicense(ctx, {
    email: input.email,
    product: input.product,
    tier: input.tier,
    expiresAt,
    sendEmail: input.sendEmail,
    by: input.by,
  });
  if (input.sendEmail) await queueLicenseEmail(ctx, { licenseId: issued.license.id });
  return issued;
}
