import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { toIsoSec } from "../../lib/clock";
import { issueLicenseByHand } from "../../services/licenses/issue-license-by-hand";
import { createRouter, isoTime, jsonBody, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import { actingAs, MAX_REASON_LENGTH } from "../_shared/acting";
import { licenseKeyOut, productField, tierField } from "../_shared/license-fields";
import { required } from "../../lib/required";

export const GenerateLicenseBody = namedSchema(
  "GenerateLicenseRequest",
  z
    .object({
      email: z.email().max(254),
      product: productField,
      tier: tierField,
      expires_at: z.iso.datetime({ offset: true }).optional(),
      duration_days: z.number().int().min(1).max(3660).optional(),
      send_email: z.boolean().optional(),
      reason: z.string().trim().min(1).max(MAX_REASON_LENGTH).optional().describe("Why, for the audit log"),
    })
    .refine((b) => (b.expires_at === undefined) !== (b.duration_days === undefined), {
      message: "give exactly one of expires_at and duration_days",
      path: ["expires_at"],
    }),
);

const GeneratedLicense = namedSchema(
  "GeneratedLicense",
  z.object({
    id: z.string(),
    key: licenseKeyOut,
    product: productField,
    tier: tierField,
    status: z.literal("active"),
    email: z.string(),
    issued_at: isoTime,
    expires_at: isoTime,
  }),
);

const generateRoute = createRoute({
  method: "post",
  path: "/licenses/generate",
  operationId: "generateLicense",
  tags: ["Licenses"],
  summary: "Issue a license by hand (internal)",
  description: "Exactly one of `expires_at` and `duration_days`.",
  ...GATES.internalKeyJson.route,
  request: { body: jsonBody(GenerateLicenseBody) },
  responses: {
    201: jsonResponse("The license and its first key.", GeneratedLicense),
    ...problemResponses(...GATES.internalKeyJson.errors, "unavailable"),
  },
});

export const generateLicense = createRouter().openapi(generateRoute, async (c) => {
  const body = c.req.valid("json");
  const common = { email: body.email, product: body.product, tier: body.tier, sendEmail: body.send_email ?? false };
  const by = actingAs(c, body.reason);
  const { license, token } = await issueLicenseByHand(
    c.get("ctx"),
    // The schema's refine lets exactly one of the two through.
    body.expires_at !== undefined
      ? { ...common, by, expiresAt: new Date(body.expires_at) }
      : { ...common, by, durationDays: required(body.duration_days, "duration_days, as expires_at is absent") },
  );
  return c.json(
    {
      id: license.id,
      key: token.key,
      product: license.product,
      tier: license.tier,
      status: "active" as const,
      email: body.email,
      issued_at: toIsoSec(token.issuedAt),
      expires_at: toIsoSec(license.expiresAt),
    },
    201,
  );
});
