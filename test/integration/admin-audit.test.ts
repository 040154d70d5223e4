import { describe, expect, it } from "vitest";
import { TEST_INTERNAL_KEYS, TEST_NAMED_KEY } from "../bindings";
import { auditRowsOf, auditTimeOf, insertFailedEvent, transactionTime } from "../console/audit-rows";
import { issueTestLicense, randomEmail, randomMachineId } from "../support/factories";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";
import { activationsOf, licenseRow, outboxOf } from "../support/licenses";
import { settled, useStripeScenario } from "../support/stripe-scenario";
import { waitFor } from "../support/wait";

const named = { Authorization: `Bearer ${TEST_NAMED_KEY.secret}` };
const bare = { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}` };
const license = api.admin.licenses[":id"];
const withReason = (reason?: string) => (reason === undefined ? {} : { reason });

describe("named internal keys and the audit log (/admin)", () => {
  it("the key's name is the actor; a bare secret is unnamed-<n>; GET /admin/audit?target= answers newest first", async () => {
    const { id } = await issueTestLicense();
    const revoked = await expectStatus(
      license.revoke.$post({ param: { id }, json: { reason: "chargeback by phone" } }, { headers: named }),
      200,
    );
    // No body at all (the reason is optional): a request the typed client, which always sends one, cannot make.
    const reinstated = await call("POST", `/admin/licenses/${id}/reinstate`, { headers: bare });
    expect(reinstated.status, reinstated.text).toBe(200);

    const audit = await expectStatus(api.admin.audit.$get({ query: { target: id } }, { headers: named }), 200);
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
    expect(expectProblem(await problemOf(api.admin.audit.$get({ query: {} })), 401, "unauthorized").ok).toBe(true);
  });

  it("revoke, reinstate and reset-deactivations write their audit row in the change's own transaction", async () => {
    const { id } = await issueTestLicense();
    for (const action of ["revoke", "reinstate", "reset-deactivations"] as const) {
      const input = { param: { id }, json: { reason: `test ${action}` } };
      await expectStatus(license[action].$post(input, { headers: named }), 200);
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
    await expectStatus(api.licenses.activate.$post({ header: {}, json: { key, machine_id: machine } }), 200);

    const free = () =>
      license.machines[":machine_id"].free.$post({ param: { id, machine_id: machine }, json: {} }, { headers: named });
    const freed = await expectStatus(free(), 200);
    expect(freed.json.license.activations).toEqual([]);
    expect(await activationsOf(id)).toEqual([]);
    expect(await auditRowsOf(`${id}/machines/${machine}`)).toMatchObject([{ action: "free-machine", reason: null }]);
    expect(expectProblem(await problemOf(free()), 404, "not_found").ok).toBe(true);

    await expectStatus(
      license["resend-email"].$post({ param: { id }, json: { reason: "buyer lost it" } }, { headers: named }),
      202,
    );
    const [entry] = await auditRowsOf(id);
    expect(entry).toMatchObject({ action: "resend-email", reason: "buyer lost it" });
    const outbox = await outboxOf(id);
    expect(outbox.map((o) => o.idempotencyKey)).toEqual([`license-resent/${entry?.id}`]);
    expect(outbox[0]).toMatchObject({ toEmail: email, kind: "license_issued" });
    expect(outbox[0]?.textBody).toContain(key);
    // The email really leaves, and the consumer is done before the file ends (its lazy imports need the pool).
    await waitFor(async () => (await outboxOf(id))[0]?.sentAt, { what: "the resent email's sent_at" });

    const eventId = await insertFailedEvent();
    const replay = (id: string, reason?: string) =>
      api.admin.events[":id"].replay.$post({ param: { id }, json: withReason(reason) }, { headers: named });
    await expectStatus(replay(eventId, "fixed"), 202);
    expect(await auditRowsOf(eventId)).toMatchObject([{ action: "replay-event", actor: TEST_NAMED_KEY.name }]);
    expect(await settled(eventId)).toMatchObject({ errorCode: null }); // applied again, not left to a file that ended
    expect(expectProblem(await problemOf(replay("evt_unknown_x")), 404, "not_found").ok).toBe(true);
    expect(await auditRowsOf("evt_unknown_x")).toEqual([]);

    const issued = await expectStatus(
      api.licenses.generate.$post(
        { json: { email, product: "simpl-resultat", tier: "base", duration_days: 30, reason: "goodwill" } },
        { headers: named },
      ),
      201,
    );
    expect(await auditRowsOf(issued.json.id)).toMatchObject([
      { action: "issue", actor: TEST_NAMED_KEY.name, reason: "goodwill" },
    ]);
  });

  it("a refused change writes no audit row: unknown license 404, expired reinstate 409, empty reason 422", async () => {
    const reinstate = (id: string) => license.reinstate.$post({ param: { id }, json: {} }, { headers: named });
    expect(expectProblem(await problemOf(reinstate("lic_nope")), 404, "not_found").ok).toBe(true);
    expect(await auditRowsOf("lic_nope")).toEqual([]);
    const { id } = await issueTestLicense({ status: "expired" });
    expect(expectProblem(await problemOf(reinstate(id)), 409, "conflict").ok).toBe(true);
    const blank = license["reset-deactivations"].$post({ param: { id }, json: { reason: "  " } }, { headers: named });
    expect(expectProblem(await problemOf(blank), 422, "validation_failed").ok).toBe(true);
    expect(await auditRowsOf(id)).toEqual([]);
  });
});
