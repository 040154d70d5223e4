import type { Ctx } from "../../context";
import { findCheckoutLicense } from "../../db/queries/licenses";
import { NotFoundError, NotReadyError } from "../../errors";
import type { Product, Tier } from "../../domain/products";
import { checkoutOwner } from "../../integrations/stripe/payload";

export interface CheckoutLicense {
  key: string;
  product: Product;
  tier: Tier;
  expiresAt: Date;
}

/** The same answer for a session that does not exist and one that is someone else's: no leak either way. */
const notYours = () => new NotFoundError("not_found", "No checkout session of this account has that id.");

/**
 * The license a checkout session paid for, once the webhook has issued it. Before that, Stripe tells
 * whose session it is, so `not_ready` is only ever said to its owner.
 */
export async function readCheckoutLicense(
  ctx: Ctx,
  input: { logtoUserId: string; checkoutSessionId: string },
): Promise<CheckoutLicense> {
  const row = await findCheckoutLicense(ctx.db, input.checkoutSessionId);
  if (row?.ownerLogtoUserId && row.ownerLogtoUserId !== input.logtoUserId) throw notYours();
  if (row?.key && row.ownerLogtoUserId === input.logtoUserId) {
    return { key: row.key, product: row.product, tier: row.tier, expiresAt: row.expiresAt };
  }

  // No license (or no owner recorded on it) yet: ask Stripe whose session this is, by the checkout
  // handler's own rule (a bare client_reference_id, which a Payment Link lets the buyer type, is nobody).
  const session = await ctx.stripe.retrieveCheckoutSession(input.checkoutSessionId);
  if (!session || checkoutOwner(session) !== input.logtoUserId) throw notYours();
  if (row?.key) return { key: row.key, product: row.product, tier: row.tier, expiresAt: row.expiresAt };
  throw new NotReadyError(
    "The license for this checkout is not issued yet. Retry shortly.",
    { checkout_status: session.status },
    2,
  );
}
