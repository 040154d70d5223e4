import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { AppError } from "../../errors";
import { toIsoSec } from "../../lib/clock";
import { readJsonBody } from "../../lib/validation";
import { getLogtoUser, requireLogtoUser } from "../../middleware/logto-auth";
import { limitByAccount } from "../../middleware/rate-limit";
import { createCheckoutSession } from "../../services/account/create-checkout-session";
import { getCheckoutLicense } from "../../services/account/get-checkout-license";
import { CHECKOUT_SESSION_ID, CheckoutBody } from "./schemas";

export const checkoutSessions = new Hono<AppEnv>()
  .post("/checkout/sessions", requireLogtoUser, limitByAccount, async (c) => {
    const body = await readJsonBody(c, CheckoutBody);
    const user = getLogtoUser(c);
    const { url } = await createCheckoutSession({
      ctx: c.get("services"),
      input: { logtoUserId: user.sub, email: user.email, ...body },
    });
    return c.json({ url });
  })
  .get("/checkout/sessions/:id/license", requireLogtoUser, limitByAccount, async (c) => {
    const id = c.req.param("id");
    if (!CHECKOUT_SESSION_ID.test(id)) throw new AppError("not_found", "No checkout session of this account has that id.");
    const license = await getCheckoutLicense({
      ctx: c.get("services"),
      input: { logtoUserId: getLogtoUser(c).sub, checkoutSessionId: id },
    });
    return c.json({ key: license.key, product: license.product, tier: license.tier, expires_at: toIsoSec(license.expiresAt) });
  });
