import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { toIsoSec } from "../../lib/clock";
import { getLogtoUser } from "../../middleware/logto-auth";
import { AppError } from "../../errors";
import { readCheckoutLicense } from "../../services/account/read-checkout-license";
import { createRouter, isoTime, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { licenseKeyOut, productField, tierField } from "../_shared/license-fields";

// Stripe's checkout session ids; anything else is answered without asking Stripe.
const CHECKOUT_SESSION_ID = /^cs_(test|live)_[A-Za-z0-9]{1,250}$/;

const CheckoutLicenseResponse = namedSchema(
  "CheckoutLicenseResponse",
  z.object({ key: licenseKeyOut, product: productField, tier: tierField, expires_at: isoTime }),
);

const checkoutLicenseRoute = createRoute({
  method: "get",
  path: "/checkout/sessions/{id}/license",
  operationId: "getCheckoutLicense",
  tags: ["Account"],
  summary: "The license a checkout paid for, once issued",
  description: "`404 not_ready` (with `checkout_status` and `Retry-After`) until the webhook has issued it.",
  ...GATES.account.route,
  request: {
    params: z.object({
      id: z.string().openapi({ param: { description: "Stripe checkout session id (`cs_test_...`, `cs_live_...`)" } }),
    }),
  },
  responses: {
    200: jsonResponse("The license key.", CheckoutLicenseResponse),
    ...problemResponses(...GATES.account.errors, "not_found", "not_ready", "bad_gateway"),
  },
});

export const getCheckoutLicense = createRouter().openapi(checkoutLicenseRoute, async (c) => {
  const { id } = c.req.valid("param");
  if (!CHECKOUT_SESSION_ID.test(id))
    throw new AppError("not_found", "No checkout session of this account has that id.");
  const license = await readCheckoutLicense(c.get("ctx"), { logtoUserId: getLogtoUser(c).sub, checkoutSessionId: id });
  return c.json(
    { key: license.key, product: license.product, tier: license.tier, expires_at: toIsoSec(license.expiresAt) },
    200,
  );
});
