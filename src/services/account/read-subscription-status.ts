import type { Ctx } from "../../context";
import { findUserSubscription } from "../../db/queries/subscriptions";
import { toAccountStatus, type AccountStatus } from "../../domain/account-status";
import { NotFoundError } from "../../errors";
import type { Product, Tier } from "../../domain/products";

export interface SubscriptionStatus {
  status: AccountStatus;
  product: Product;
  tier: Tier;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  licenseKey: string | null;
}

export async function readSubscriptionStatus(
  ctx: Ctx,
  input: { logtoUserId: string; product: Product },
): Promise<SubscriptionStatus> {
  const found = await findUserSubscription(ctx.db, input.logtoUserId, input.product);
  if (!found) throw new NotFoundError("no_subscription", `No ${input.product} subscription for this account.`);
  return {
    status: toAccountStatus({
      stripeStatus: found.stripeStatus,
      currentPeriodEnd: found.currentPeriodEnd,
      licenseRevoked: found.license?.status === "revoked",
      now: ctx.clock.now(),
      graceDays: ctx.config.licenseGraceDays,
    }),
    product: found.product,
    tier: found.tier,
    currentPeriodEnd: found.currentPeriodEnd,
    cancelAtPeriodEnd: found.cancelAtPeriodEnd,
    licenseKey: found.license?.key ?? null,
  };
}
