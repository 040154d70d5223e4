import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { toIsoSec } from "../../lib/clock";
import { getLogtoUser } from "../../middleware/logto-auth";
import { namedSchema } from "../../openapi/named-schemas";
import { type AccountData, readAccountData } from "../../services/account/read-account-data";
import { createRouter, isoTime, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";
import {
  LicenseSummary,
  licenseKeyOut,
  licenseStatusField,
  MachineSchema,
  presentMachine,
  summarize,
  tierField,
} from "../_shared/license-fields";

const iso = (d: Date | null) => (d ? toIsoSec(d) : null);

export const AccountDataResponse = namedSchema(
  "AccountDataResponse",
  z.object({
    customers: z.array(
      z.object({
        id: z.string(),
        email: z.string().nullable(),
        stripe_customer_id: z.string().nullable(),
        created_at: isoTime,
      }),
    ),
    licenses: z.array(
      LicenseSummary.extend({
        status: licenseStatusField.describe("as stored"),
        email: z.string().nullable().describe("the address the key was sent to"),
        created_at: isoTime,
        keys: z.array(z.object({ key: licenseKeyOut, tier: tierField, issued_at: isoTime, expires_at: isoTime })),
        machines: z.array(MachineSchema),
        deactivations: z.array(z.object({ machine_id: z.string(), deactivated_at: isoTime })),
      }),
    ),
    payments: z.array(
      z.object({
        payment_intent_id: z.string(),
        license_id: z.string().nullable(),
        charge_id: z.string().nullable(),
        amount_refunded: z.number().int().nullable(),
        fully_refunded_at: isoTime.nullable(),
        dispute_status: z.string().nullable(),
        created_at: isoTime,
      }),
    ),
    emails: z
      .array(
        z.object({
          kind: z.string(),
          license_id: z.string().nullable(),
          to: z.string().nullable(),
          subject: z.string(),
          created_at: isoTime,
          sent_at: isoTime.nullable(),
        }),
      )
      .describe("emails we sent or will send, without their bodies"),
    events: z
      .array(z.object({ id: z.string(), type: z.string(), created_at: isoTime, status: z.string() }))
      .describe("the Stripe events that concern the person: type and time"),
  }),
);

export const accountDataRoute = createRoute({
  method: "get",
  path: "/account/data",
  operationId: "getAccountData",
  tags: ["Account"],
  summary: "Everything the service holds about the signed-in person (right of access)",
  description:
    "Law 25 / GDPR access: customers, licenses, keys, machines, deactivations, payments, emails sent (without " +
    "bodies) and the Stripe events that concern them. See docs/privacy.md.",
  ...GATES.account.route,
  responses: {
    200: jsonResponse("The person's data.", AccountDataResponse),
    ...problemResponses(...GATES.account.errors),
  },
});

function present(d: AccountData): z.infer<typeof AccountDataResponse> {
  return {
    customers: d.customers.map((c) => ({
      id: c.id,
      email: c.email,
      stripe_customer_id: c.stripeCustomerId,
      created_at: toIsoSec(c.createdAt),
    })),
    licenses: d.licenses.map((l) => ({
      ...summarize(l, l.status),
      email: l.email,
      created_at: toIsoSec(l.createdAt),
      keys: l.keys.map((k) => ({
        key: k.key,
        tier: k.tier,
        issued_at: toIsoSec(k.issuedAt),
        expires_at: toIsoSec(k.expiresAt),
      })),
      machines: l.machines.map((m) => presentMachine(m)),
      deactivations: l.deactivations.map((x) => ({
        machine_id: x.machineId,
        deactivated_at: toIsoSec(x.deactivatedAt),
      })),
    })),
    payments: d.payments.map((p) => ({
      payment_intent_id: p.paymentIntentId,
      license_id: p.licenseId,
      charge_id: p.chargeId,
      amount_refunded: p.amountRefunded,
      fully_refunded_at: iso(p.fullyRefundedAt),
      dispute_status: p.disputeStatus,
      created_at: toIsoSec(p.createdAt),
    })),
    emails: d.emails.map((e) => ({
      kind: e.kind,
      license_id: e.licenseId,
      to: e.toEmail,
      subject: e.subject,
      created_at: toIsoSec(e.createdAt),
      sent_at: iso(e.sentAt),
    })),
    events: d.events.map((e) => ({
      id: e.id,
      type: e.type,
      created_at: toIsoSec(new Date(e.createdSec * 1000)),
      status: e.status,
    })),
  };
}

export const getAccountData = createRouter().openapi(accountDataRoute, async (c) => {
  const data = await readAccountData(c.get("ctx"), { logtoUserId: getLogtoUser(c).sub });
  return c.json(present(data), 200);
});
