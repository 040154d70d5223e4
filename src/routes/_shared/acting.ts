import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { namedSchema } from "../../openapi/named-schemas";
import type { Actor } from "../../services/admin/audit";

/** The longest reason an audit entry keeps. */
export const MAX_REASON_LENGTH = 500;

/**
 * The /admin actions other than revoke take an optional reason (as Stripe's and Keygen's APIs do):
 * a script may not have one; the console always asks for it.
 */
export const OptionalReasonBody = namedSchema(
  "ActionReason",
  z.object({
    reason: z
      .string()
      .trim()
      .min(1)
      .max(MAX_REASON_LENGTH)
      .optional()
      .describe("Why, for the audit log (optional here, required in the console)"),
  }),
);

/** An optional JSON body: none at all reads as `{}`. */
export const optionalJsonBody = <T extends z.ZodType>(schema: T) => ({
  required: false,
  content: { "application/json": { schema } },
});

/** Who acts on this request (set by internal-auth or access-auth) and why, for the audit log. */
export function actingAs(c: Context<AppEnv>, reason: string | null | undefined): Actor {
  const actor = c.get("actor");
  // Only reachable when a route forgot its auth middleware: fail closed and loudly (500).
  if (!actor) throw new Error("route is not behind an authenticating middleware");
  return { actor, reason: reason ?? null, requestId: c.get("requestId") };
}
