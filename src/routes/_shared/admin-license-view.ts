import { z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import type { LicenseOverview } from "../../services/admin/find-licenses";
import { toIsoSec } from "../../lib/clock";
import { isoTime } from "./declare";
import {
  LicenseSummary,
  licenseKeyOut,
  licenseStatusField,
  MachineSchema,
  presentMachine,
  summarize,
} from "./license-fields";

const iso = (d: Date | null | undefined) => (d ? toIsoSec(d) : null);

export const AdminLicense = LicenseSummary.extend({
  status: licenseStatusField.describe("as stored"),
  email: z.string().nullable().describe("the buyer's address; null once the person was erased"),
  created_at: isoTime,
  revoked_at: isoTime.nullable(),
  revoke_reason: z.string().nullable(),
  checkout_session_id: z.string().nullable(),
  key: licenseKeyOut.nullable(),
  token_count: z.number().int(),
  activations: z.array(MachineSchema),
  subscription: z
    .object({
      stripe_subscription_id: z.string(),
      status: z.string().describe("Stripe's word"),
      tier: z.string(),
      current_period_end: isoTime.nullable(),
      cancel_at_period_end: z.boolean(),
    })
    .nullable(),
});

export const AdminLicenseResponse = namedSchema("AdminLicenseResponse", z.object({ license: AdminLicense }));
export type AdminLicenseResponse = z.infer<typeof AdminLicenseResponse>;

export const licenseIdParams = z.object({
  id: z.string().openapi({ param: { description: "License id (`lic_...`)" } }),
});

export function licenseView({
  license,
  newestKey,
  tokenCount,
  activations,
  subscription,
}: LicenseOverview): z.infer<typeof AdminLicense> {
  return {
    ...summarize(license, license.status),
    email: license.email,
    created_at: toIsoSec(license.createdAt),
    revoked_at: iso(license.revokedAt),
    revoke_reason: license.revokeReason,
    checkout_session_id: license.checkoutSessionId,
    key: newestKey,
    token_count: tokenCount,
    activations: activations.map(presentMachine),
    subscription: subscription && {
      stripe_subscription_id: subscription.stripeSubscriptionId,
      status: subscription.status,
      tier: subscription.tier,
      current_period_end: iso(subscription.currentPeriodEnd),
      cancel_at_period_end: subscription.cancelAtPeriodEnd,
    },
  };
}
