import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { PRODUCT_IDS } from "../../domain/products";
import { problemResponses } from "../../openapi/problem-responses";
import { toIsoSec } from "../../lib/clock";
import { getLogtoUser } from "../../middleware/logto-auth";
import { readSubscriptionStatus } from "../../services/account/read-subscription-status";
import { createRouter, isoTime, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { licenseKeyOut, productField, tierField } from "../_shared/license-fields";

const StatusQuery = z.object({ product: z.enum(PRODUCT_IDS).default("simpl-resultat") });

const SubscriptionStatusResponse = namedSchema(
  "SubscriptionStatusResponse",
  z.object({
    status: z.enum(["active", "past_due", "canceled", "expired"]),
    product: productField,
    tier: tierField,
    current_period_end: isoTime.nullable(),
    cancel_at_period_end: z.boolean(),
    license_key: licenseKeyOut.nullable(),
  }),
);

const subscriptionStatusRoute = createRoute({
  method: "get",
  path: "/subscriptions/status",
  operationId: "getSubscriptionStatus",
  tags: ["Account"],
  summary: "The signed-in user's subscription to a product",
  ...GATES.account.route,
  request: { query: StatusQuery },
  responses: {
    200: jsonResponse("The subscription.", SubscriptionStatusResponse),
    ...problemResponses("validation_failed", ...GATES.account.errors, "no_subscription"),
  },
});

export const getSubscriptionStatus = createRouter().openapi(subscriptionStatusRoute, async (c) => {
  const { product } = c.req.valid("query");
  const s = await readSubscriptionStatus(c.get("ctx"), { logtoUserId: getLogtoUser(c).sub, product });
  return c.json(
    {
      status: s.status,
      product: s.product,
      tier: s.tier,
      current_period_end: s.currentPeriodEnd ? toIsoSec(s.currentPeriodEnd) : null,
      cancel_at_period_end: s.cancelAtPeriodEnd,
      license_key: s.licenseKey,
    },
    200,
  );
});
