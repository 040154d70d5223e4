import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { getLogtoUser, requireLogtoUser } from "../../middleware/logto-auth";
import { limitByAccount } from "../../middleware/rate-limit";
import { createBillingPortalSession } from "../../services/account/create-billing-portal-session";

export const billingPortal = new Hono<AppEnv>().post("/billing/portal", requireLogtoUser, limitByAccount, async (c) => {
  const { url } = await createBillingPortalSession({ ctx: c.get("services"), input: { logtoUserId: getLogtoUser(c).sub } });
  return c.json({ url });
});
