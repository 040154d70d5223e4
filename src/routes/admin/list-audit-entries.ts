import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { toIsoSec } from "../../lib/clock";
import { requireInternalKey } from "../../middleware/internal-auth";
import { namedSchema } from "../../openapi/named-schemas";
import { readAuditLog } from "../../services/admin/audit";
import { AUTH_ERRORS, createRouter, isoTime, jsonResponse, SECURITY } from "../_shared/declare";

export const AuditQuery = z.object({
  target: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .optional()
    .openapi({ param: { description: "`lic_…` (also its machines' entries) or `evt_…`" } }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AuditEntryList = namedSchema(
  "AuditEntryList",
  z.object({
    entries: z.array(
      z.object({
        actor: z.string().describe("Access email (console) or INTERNAL_API_KEYS name"),
        action: z.string(),
        target: z.string(),
        reason: z.string().nullable(),
        request_id: z.string().nullable(),
        at: isoTime,
      }),
    ),
  }),
);
export type AuditEntryList = z.infer<typeof AuditEntryList>;

export const listAuditRoute = createRoute({
  method: "get",
  path: "/admin/audit",
  operationId: "listAuditEntries",
  tags: ["Support"],
  summary: "Who changed what, newest first (`?target=` filters)",
  security: SECURITY.internalApiKey,
  middleware: [requireInternalKey] as const,
  request: { query: AuditQuery },
  responses: {
    200: jsonResponse("Newest first.", AuditEntryList),
    ...problemResponses("validation_failed", ...AUTH_ERRORS.internalApiKey, "unavailable"),
  },
});

export const listAuditEntries = createRouter().openapi(listAuditRoute, async (c) => {
  const rows = await readAuditLog(c.get("ctx"), c.req.valid("query"));
  return c.json(
    {
      entries: rows.map((e) => ({
        actor: e.actor,
        action: e.action,
        target: e.target,
        reason: e.reason,
        request_id: e.requestId,
        at: toIsoSec(e.at),
      })),
    },
    200,
  );
});
