import { createRoute } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { getLogtoUser, requireLogtoUser } from "../../middleware/logto-auth";
import { limitByAccount } from "../../middleware/rate-limit";
import { openBillingPortal } from "../../services/account/open-billing-portal";
import { AUTH_ERRORS, createRouter, jsonResponse, SECURITY } from "../_shared/declare";
import { UrlResponse } from "../checkout/create-session";

const billingPortalRoute = createRoute({
  method: "post",
  path: "/billing/portal",
  operationId: "createBillingPortalSession",
  tags: ["Account"],
  summary: "Open the Stripe customer portal",
  security: SECURITY.logtoBearer,
  middleware: [requireLogtoUser, limitByAccount] as const,
  responses: {
    200: jsonResponse("Where to send the user.", UrlResponse),
    ...problemResponses(...AUTH_ERRORS.logtoBearer, "no_subscription", "rate_limited", "bad_gateway"),
  },
});

export const createBillingPortalSession = createRouter().openapi(billingPortalRoute, async (c) => {
  const { url } = await openBillingPortal(c.get("ctx"), { logtoUserId: getLogtoUser(c).sub });
  return c.json({ url }, 200);
});
