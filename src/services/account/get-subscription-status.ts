import type { Ctx } from "../../context";
import { toAccountStatus, type AccountStatus } from "../../domain/account-status";
import type { Product } from "../../domain/products";
import { AppError } from "../../errors";
import { findUserSubscription } from "./find-user-subscription";

export interface SubscriptionStatus {
  status: AccountStatus;
  product: string;
  tier: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  licenseKey: string | null;
}

export async function getSubscriptionStatus({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { logtoUserId: string; product: Product };
}): Promise<SubscriptionStatus> {
  const found = await findUserSubscription(ctx.db, input.logtoUserId, input.product);
  if (!found) throw new AppError("no_subscription", `No ${input.product} subscription for this account.`);
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
