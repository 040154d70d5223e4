import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "../../openapi/problem-responses";
import { toIsoSec } from "../../lib/clock";
import { namedSchema } from "../../openapi/named-schemas";
import { readAuditLog } from "../../services/admin/audit";
import { createRouter, isoTime, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";

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
  ...GATES.internalKey.route,
  request: { query: AuditQuery },
  responses: {
    200: jsonResponse("Newest first.", AuditEntryList),
    ...problemResponses("validation_failed", ...GATES.internalKey.errors, "unavailable"),
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
