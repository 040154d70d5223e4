import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { namedSchema } from "../../openapi/named-schemas";
import { erasePersonalData } from "../../services/privacy/erase-personal-data";
import { actingAs } from "../_shared/acting";
import { createRouter, jsonBody, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";

const reason = z.string().trim().min(1).max(500).describe("why (kept in the audit log; never the erased values)");

export const EraseCustomerBody = namedSchema(
  "EraseCustomerRequest",
  z.union([
    z.object({ email: z.email().max(254), reason: reason.optional() }).strict(),
    z
      .object({
        customer_id: z.string().min(1).max(255).describe("ours (`cst_...`) or Stripe's (`cus_...`)"),
        reason: reason.optional(),
      })
      .strict(),
  ]),
);

const count = z.number().int().min(0);

export const ErasureResponse = namedSchema(
  "ErasureResponse",
  z.object({
    customer_ids: z.array(z.string()).describe("the customers whose data was removed, by id"),
    license_ids: z.array(z.string()).describe("their licenses: they keep validating"),
    removed: z
      .object({
        customers: count,
        licenses: count,
        license_tokens: count,
        activations: count,
        email_outbox: count,
        stripe_events: count,
      })
      .describe("rows changed per table; all 0 when there was nothing (left) to erase"),
  }),
);

export const eraseCustomerRoute = createRoute({
  method: "post",
  path: "/admin/customers/erase",
  operationId: "eraseCustomer",
  tags: ["Support"],
  summary: "Erase a person's personal data (Law 25 / GDPR)",
  description:
    "Removes the person's email, name and machine names, and every Stripe payload and email body that holds them, " +
    "from every table. Licenses, seats and payments stay by id: the license keeps validating and a later refund or " +
    "dispute still applies. Idempotent. See docs/privacy.md.",
  ...GATES.internalKeyJson.route,
  request: { body: jsonBody(EraseCustomerBody) },
  responses: {
    200: jsonResponse("What was removed.", ErasureResponse),
    ...problemResponses(...GATES.internalKeyJson.errors, "unavailable"),
  },
});

export const eraseCustomer = createRouter().openapi(eraseCustomerRoute, async (c) => {
  const body = c.req.valid("json");
  const result = await erasePersonalData(
    c.get("ctx"),
    "email" in body ? { email: body.email } : { customerId: body.customer_id },
    actingAs(c, body.reason),
  );
  return c.json({ customer_ids: result.customerIds, license_ids: result.licenseIds, removed: result.removed }, 200);
});
