import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { toIsoSec } from "../../lib/clock";
import { readQuery } from "../../lib/validation";
import { getLogtoUser, requireLogtoUser } from "../../middleware/logto-auth";
import { limitByAccount } from "../../middleware/rate-limit";
import { getSubscriptionStatus } from "../../services/account/get-subscription-status";
import { StatusQuery } from "./schemas";

export const subscriptionStatus = new Hono<AppEnv>().get("/subscriptions/status", requireLogtoUser, limitByAccount, async (c) => {
  const { product } = readQuery(c, StatusQuery);
  const s = await getSubscriptionStatus({
    ctx: c.get("services"),
    input: { logtoUserId: getLogtoUser(c).sub, product },
  });
  return c.json({
    status: s.status,
    product: s.product,
    tier: s.tier,
    current_period_end: s.currentPeriodEnd ? toIsoSec(s.currentPeriodEnd) : null,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    license_key: s.licenseKey,
  });
});
