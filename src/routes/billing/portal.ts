import { createRoute } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { getLogtoUser } from "../../middleware/logto-auth";
import { openBillingPortal } from "../../services/account/open-billing-portal";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { UrlResponse } from "../checkout/create-session";

const billingPortalRoute = createRoute({
  method: "post",
  path: "/billing/portal",
  operationId: "createBillingPortalSession",
  tags: ["Account"],
  summary: "Open the Stripe customer portal",
  ...GATES.account.route,
  responses: {
    200: jsonResponse("Where to send the user.", UrlResponse),
    ...problemResponses(...GATES.account.errors, "no_subscription", "bad_gateway"),
  },
});

export const createBillingPortalSession = createRouter().openapi(billingPortalRoute, async (c) => {
  const { url } = await openBillingPortal(c.get("ctx"), { logtoUserId: getLogtoUser(c).sub });
  return c.json({ url }, 200);
});
