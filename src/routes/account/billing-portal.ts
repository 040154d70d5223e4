import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { getLogtoUser, requireLogtoUser } from "../../middleware/logto-auth";
import { createBillingPortalSession } from "../../services/account/create-billing-portal-session";

export const billingPortal = new Hono<AppEnv>().post("/billing/portal", requireLogtoUser, async (c) => {
  const { url } = await createBillingPortalSession({ ctx: c.get("services"), input: { logtoUserId: getLogtoUser(c).sub } });
  return c.json({ url });
});
