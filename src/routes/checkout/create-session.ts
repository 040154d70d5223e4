import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { INTERVALS } from "../../domain/products";
import { problemResponses } from "../../openapi/problem-responses";
import { getLogtoUser } from "../../middleware/logto-auth";
import { startCheckoutSession } from "../../services/account/start-checkout";
import { createRouter, jsonBody, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { productField, tierField } from "../_shared/license-fields";

const CheckoutBody = namedSchema(
  "CheckoutRequest",
  z.object({ product: productField, tier: tierField, interval: z.enum(INTERVALS) }),
);

export const UrlResponse = namedSchema("UrlResponse", z.object({ url: z.url() }));
export type UrlResponse = z.infer<typeof UrlResponse>;

const createCheckoutSessionRoute = createRoute({
  method: "post",
  path: "/checkout/sessions",
  operationId: "createCheckoutSession",
  tags: ["Account"],
  summary: "Start a Stripe Checkout for a subscription",
  description: "`409 conflict` when the user already holds the product: plan changes go through the billing portal.",
  ...GATES.accountJson.route,
  request: { body: jsonBody(CheckoutBody) },
  responses: {
    200: jsonResponse("Where to send the buyer.", UrlResponse),
    ...problemResponses(...GATES.accountJson.errors, "conflict", "bad_gateway"),
  },
});

export const createCheckoutSession = createRouter().openapi(createCheckoutSessionRoute, async (c) => {
  const body = c.req.valid("json");
  const user = getLogtoUser(c);
  const { url } = await startCheckoutSession(c.get("ctx"), { logtoUserId: user.sub, email: user.email, ...body });
  return c.json({ url }, 200);
});
