import { desc, eq, sql } from "drizzle-orm";
import type { Ctx } from "../../context";
import { customers, licenses, licenseTokens } from "../../db/schema";
import { AppError } from "../../errors";
import { isStripeNotFound, toStripeAppError } from "../../stripe/api-errors";
import { checkoutOwner } from "../../stripe/checkout-owner";

export interface CheckoutLicense {
  key: string;
  product: string;
  tier: string;
  expiresAt: Date;
}

/** The same answer for a session that does not exist and one that is someone else's: no leak either way. */
const notYours = () => new AppError("not_found", "No checkout session of this account has that id.");

/**
 * The license a checkout session paid for, once the webhook has issued it. Before that, Stripe tells
 * whose session it is, so `not_ready` is only ever said to its owner.
 */
export async function getCheckoutLicense({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { logtoUserId: string; checkoutSessionId: string };
}): Promise<CheckoutLicense> {
  const [row] = await ctx.db
    .select({
      product: licenses.product,
      tier: licenses.tier,
      expiresAt: licenses.expiresAt,
      ownerLogtoUserId: customers.logtoUserId,
      key: licenseTokens.key,
    })
    .from(licenses)
    .leftJoin(customers, eq(customers.id, licenses.customerId))
    .leftJoin(licenseTokens, eq(licenseTokens.licenseId, licenses.id))
    .where(eq(licenses.checkoutSessionId, input.checkoutSessionId))
    .orderBy(sql`${licenseTokens.issuedAt} desc nulls last`, desc(licenseTokens.expiresAt))
    .limit(1);

  if (row?.ownerLogtoUserId && row.ownerLogtoUserId !== input.logtoUserId) throw notYours();
  if (row?.key && row.ownerLogtoUserId === input.logtoUserId) {
    return { key: row.key, product: row.product, tier: row.tier, expiresAt: row.expiresAt };
  }

  // No license (or no owner recorded on it) yet: ask Stripe whose session this is.
  const session = await ctx.stripe.checkout.sessions.retrieve(input.checkoutSessionId).catch((err: unknown) => {
    throw isStripeNotFound(err) ? notYours() : toStripeAppError(err, ctx.log, "checkout.sessions.retrieve");
  });
  if (checkoutOwner(session) !== input.logtoUserId) throw notYours();
  if (row?.key) return { key: row.key, product: row.product, tier: row.tier, expiresAt: row.expiresAt };
  throw new AppError("not_ready", "The license for this checkout is not issued yet. Retry shortly.", {
    extra: { checkout_status: session.status },
    headers: { "Retry-After": "2" },
  });
}
