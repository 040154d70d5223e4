import { describe, expect, it } from "vitest";
import { TEST_INTERNAL_KEYS, TEST_NAMED_KEY } from "../bindings";
import { auditRowsOf, auditTimeOf, insertFailedEvent, transactionTime } from "../console/audit-rows";
import { issueTestLicense, randomEmail, randomMachineId } from "../support/factories";
import { call } from "../support/http";
import { activationsOf, licenseRow, outboxOf } from "../support/licenses";
import { eventRow, useStripeScenario } from "../support/stripe-scenario";

const named = { Authorization: `Bearer ${TEST_NAMED_KEY.secret}` };
const bare = { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}` };

describe("named internal keys and the audit log (/admin)", () => {
  it("the key's name is the actor; a bare secret is unnamed-<n>; GET /admin/audit?target= answers newest first", async () => {
    const { id } = await issueTestLicense();
    const revoked = await call("POST", `/admin/licenses/${id}/revoke`, {
      headers: named,
      body: { reason: "chargeback by phone" },
    });
    expect(revoked.status).toBe(200);
    expect((await call("POST", `/admin/licenses/${id}/reinstate`, { headers: bare })).status).toBe(200);

    const audit = await call("GET", `/admin/audit?target=${id}`, { headers: named });
    expect(audit.status).toBe(200);
    expect(audit.json.entries).toEqual([
      {
        actor: "unnamed-1",
        action: "reinstate",
        target: id,
        reason: null,
        request_id: expect.any(String),
        at: expect.stringMatching(/Z$/),
      },
      {
        actor: TEST_NAMED_KEY.name,
        action: "revoke",
        target: id,
        reason: "chargeback by phone",
        request_id: revoked.headers.get("X-Request-Id"),
        at: expect.stringMatching(/Z$/),
      },
    ]);
    expect((await auditRowsOf(id)).map((r) => r.actor)).toEqual([TEST_NAMED_KEY.name, "unnamed-1"]);
    expect((await call("GET", "/admin/audit", {})).status).toBe(401);
  });

  it("revoke, reinstate and reset-deactivations write their audit row in the change's own transaction", async () => {
    const { id } = await issueTestLicense();
    for (const action of ["revoke", "reinstate", "reset-deactivations"]) {
      const res = await call("POST", `/admin/licenses/${id}/${action}`, {
        headers: named,
        body: { reason: `test ${action}` },
      });
      expect(res.status, res.text).toBe(200);
      const rows = await auditRowsOf(id);
      expect(rows.at(-1)).toMatchObject({ actor: TEST_NAMED_KEY.name, action, reason: `test ${action}` });
      // now() is the transaction's start: the license's updated_at and the entry's at are one instant.
      expect((await auditTimeOf(id)).at(-1)).toBe(await transactionTime("licenses", id));
    }
    expect((await licenseRow(id))?.deactivationsResetAt).not.toBeNull();
  });

  it("free a machine, resend the email, replay an event, issue by hand: each changes its rows and is audited", async () => {
    useStripeScenario(); // Resend and Stripe answer the consumer's sends
    const email = randomEmail();
    const { id, key } = await issueTestLicense({ email });
    const machine = randomMachineId();
    expect((await call("POST", "/licenses/activate", { body: { key, machine_id: machine } })).status).toBe(200);

    const freed = await call("POST", `/admin/licenses/${id}/machines/${machine}/free`, { headers: named });
    expect(freed.status, freed.text).toBe(200);
    expect(freed.json.license.activations).toEqual([]);
    expect(await activationsOf(id)).toEqual([]);
    expect(await auditRowsOf(`${id}/machines/${machine}`)).toMatchObject([{ action: "free-machine", reason: null }]);
    expect((await call("POST", `/admin/licenses/${id}/machines/${machine}/free`, { headers: named })).status).toBe(404);

    const resent = await call("POST", `/admin/licenses/${id}/resend-email`, {
      headers: named,
      body: { reason: "buyer lost it" },
    });
    expect(resent.status, resent.text).toBe(202);
    const [entry] = await auditRowsOf(id);
    expect(entry).toMatchObject({ action: "resend-email", reason: "buyer lost it" });
    const outbox = await outboxOf(id);
    expect(outbox.map((o) => o.idempotencyKey)).toEqual([`license-resent/${entry?.id}`]);
    expect(outbox[0]).toMatchObject({ toEmail: email, kind: "license_issued" });
    expect(outbox[0]?.textBody).toContain(key);

    const eventId = await insertFailedEvent();
    const replay = await call("POST", `/admin/events/${eventId}/replay`, { headers: named, body: { reason: "fixed" } });
    expect(replay.status).toBe(202);
    expect(await auditRowsOf(eventId)).toMatchObject([{ action: "replay-event", actor: TEST_NAMED_KEY.name }]);
    expect((await eventRow(eventId))?.errorCode).toBeNull();
    expect((await call("POST", "/admin/events/evt_unknown_x/replay", { headers: named })).status).toBe(404);
    expect(await auditRowsOf("evt_unknown_x")).toEqual([]);

    const issued = await call("POST", "/licenses/generate", {
      headers: named,
      body: { email, product: "simpl-resultat", tier: "base", duration_days: 30, reason: "goodwill" },
    });
    expect(issued.status, issued.text).toBe(201);
    expect(await auditRowsOf(issued.json.id)).toMatchObject([
      { action: "issue", actor: TEST_NAMED_KEY.name, reason: "goodwill" },
    ]);
  });

  it("a refused change writes no audit row: unknown license 404, expired reinstate 409, empty reason 422", async () => {
    expect((await call("POST", "/admin/licenses/lic_nope/reinstate", { headers: named })).status).toBe(404);
    expect(await auditRowsOf("lic_nope")).toEqual([]);
    const { id } = await issueTestLicense({ status: "expired" });
    expect((await call("POST", `/admin/licenses/${id}/reinstate`, { headers: named })).status).toBe(409);
    const blank = await call("POST", `/admin/licenses/${id}/reset-deactivations`, {
      headers: named,
      body: { reason: "  " },
    });
    expect(blank.json?.code).toBe("validation_failed");
    expect(await auditRowsOf(id)).toEqual([]);
  });
});
