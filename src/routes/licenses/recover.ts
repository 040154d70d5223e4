import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { requestLicenseRecovery } from "../../services/recovery/request-license-recovery";
import { createRouter, jsonBody, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";

const RecoverBody = namedSchema(
  "RecoverRequest",
  z.object({
    email: z.string().trim().max(254).email().describe("matched case-insensitively, surrounding spaces ignored"),
  }),
);
const RecoverResponse = namedSchema("RecoverResponse", z.object({ accepted: z.literal(true) }));

const recoverRoute = createRoute({
  method: "post",
  path: "/licenses/recover",
  operationId: "recoverLicenses",
  tags: ["Licenses"],
  summary: "Email an address the keys of its licenses",
  description:
    'Always `202 {"accepted":true}`, whether or not the address bought anything: the request is only queued, and ' +
    "the lookup and the email happen afterwards. When the address has active or suspended licenses, one email lists " +
    "each with its newest key, product, tier, expiry and activated machines. At most one email per address per 10 " +
    "minutes and 5 per day (further requests are accepted and send nothing).",
  ...GATES.publicJson.route,
  request: { body: jsonBody(RecoverBody) },
  responses: {
    202: jsonResponse("Accepted: an email follows if the address has licenses.", RecoverResponse),
    ...problemResponses(...GATES.publicJson.errors, "unavailable"),
  },
});

export const recoverLicenses = createRouter().openapi(recoverRoute, async (c) => {
  await requestLicenseRecovery(c.get("ctx"), { email: c.req.valid("json").email });
  return c.json({ accepted: true as const }, 202);
});
