import type { Ctx } from "../../context";
import { insertAuditEntry, selectAuditEntries } from "../../db/queries/audit-log";
import { newId } from "../../lib/ids";

/** The changes an operator can make; each is one audit `action`. */
export type AuditAction =
  | "issue"
  | "revoke"
  | "reinstate"
  | "reset-deactivations"
  | "free-machine"
  | "resend-email"
  | "replay-event"
  | "erase-customer";

/** Who asks for a change and why: every workflow that changes something on an operator's word takes one. */
export interface Actor {
  /** An Access email (console) or an INTERNAL_API_KEYS name (/admin API). */
  actor: string;
  /** Required in the console; optional through the API (null). */
  reason: string | null;
  requestId: string;
}

/** The audit statement for the batch that makes the change (never written after it). */
export function auditStatement(ctx: Ctx, by: Actor, action: AuditAction, target: string, id = newId("aud")) {
  return insertAuditEntry(ctx.db, {
    id,
    actor: by.actor,
    action,
    target,
    reason: by.reason,
    requestId: by.requestId,
  });
}

export const readAuditLog = (ctx: Ctx, filter: { target?: string; limit: number }) =>
  selectAuditEntries(ctx.db, filter);
