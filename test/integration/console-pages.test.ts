import { describe, expect, it } from "vitest";
import { TEST_NAMED_KEY } from "../bindings";
import { assertion, consoleForm, useAccessStandIn } from "../console/access-session";
import { auditRowsOf, insertFailedEvent } from "../console/audit-rows";
import { issueTestLicense, randomMachineId } from "../support/factories";
import { api, expectStatus } from "../support/api";
import { call } from "../support/http";
import { activationsOf, licenseRow, outboxOf } from "../support/licenses";
import { eventRow, settled, useStripeScenario } from "../support/stripe-scenario";
import { waitFor } from "../support/wait";

const session = useAccessStandIn();
const AGENT = "agent@maximus.test";
const signIn = () => session.access.mint({ email: AGENT });
// The console answers HTML pages and takes forms: its requests are raw calls, the JSON API's go through `api`.
const page = async (path: string, headers: Record<string, string> = {}) =>
  call("GET", path, { headers: { ...assertion(await signIn()), Accept: "text/html", ...headers } });
const activate = (json: Parameters<typeof api.licenses.activate.$post>[0]["json"]) =>
  expectStatus(api.licenses.activate.$post({ header: {}, json }), 200);

describe("the console's license page", () => {
  it("shows the standing, the key's start (never the whole key), the machine, deactivations, and every table, in English or French", async () => {
    const { id, key } = await issueTestLicense();
    const machine = randomMachineId();
    await activate({ key, machine_id: machine, machine_name: "Poste de Julie", platform: "windows" });

    const en = await page(`/console/licenses/${id}`);
    expect(en.status, en.text).toBe(200);
    expect(en.headers.get("content-type")).toContain("text/html");
    expect(en.headers.get("cache-control")).toBe("no-store");
    expect(en.text).toContain('data-testid="standing">active<');
    expect(en.text).toContain(machine);
    expect(en.text).toContain("Poste de Julie");
    expect(en.text).toContain(key.slice(0, 12));
    expect(en.text).not.toContain(key);
    expect(en.text).toContain("Deactivations left");
    expect(en.text).toMatch(/Machines \(1\/\d+\)/); // the service's ACTIVATION_LIMIT when the license sets none
    expect(en.text).toContain(`action="/console/licenses/${id}/revoke"`);
    expect(en.text).not.toContain(`/console/licenses/${id}/reinstate`); // nothing to reinstate
    expect(en.text).toContain(`action="/console/licenses/${id}/machines/${machine}/free"`);
    expect(en.text).toContain(AGENT);

    const fr = await page(`/console/licenses/${id}`, { "Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5" });
    expect(fr.text).toContain('<html lang="fr">');
    expect(fr.text).toContain("Désactivations restantes");
    expect(fr.text).toContain("Révoquer");
  });

  it("an unknown license is a 404 page for a browser and problem+json otherwise; no token 401", async () => {
    const html = await page("/console/licenses/lic_nope");
    expect(html.status).toBe(404);
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(html.text).toContain("not_found");
    const json = await call("GET", "/console/licenses/lic_nope", { headers: assertion(await signIn()) });
    expect(json.status).toBe(404);
    expect(json.json).toMatchObject({ code: "not_found", status: 404 });
    expect((await call("GET", "/console/licenses/lic_nope")).status).toBe(401);
  });
});

describe("the license page's actions", () => {
  it("each action without a reason (422) or from another origin (403) changes nothing and writes no audit row", async () => {
    const { id } = await issueTestLicense({ status: "revoked" });
    const machine = randomMachineId();
    await issueTestLicense(); // a neighbour, untouched
    const token = await signIn();
    const before = await licenseRow(id);
    const paths = ["reinstate", "reset-deactivations", "resend-email", `machines/${machine}/free`, "revoke"];
    for (const action of paths) {
      const path = `/console/licenses/${id}/${action}`;
      expect((await call("POST", path, consoleForm(token, {}))).status, path).toBe(422);
      expect((await call("POST", path, consoleForm(token, { reason: "  " }))).status, path).toBe(422);
      expect((await call("POST", path, consoleForm(token, { reason: "ok" }, "https://evil.test"))).status, path).toBe(
        403,
      );
      expect((await call("POST", path, { ...consoleForm(token, { reason: "ok" }), headers: {} })).status, path).toBe(
        401,
      );
    }
    expect(await licenseRow(id)).toEqual(before);
    expect(await auditRowsOf(id)).toEqual([]);
    expect(await outboxOf(id)).toEqual([]);
  });

  it("free a machine, reset deactivations, resend the email, reinstate: each lands back on the page showing it, audited by the signed-in email", async () => {
    useStripeScenario(); // Resend answers the outbox's send
    const { id, key } = await issueTestLicense();
    const machine = randomMachineId();
    await activate({ key, machine_id: machine });
    const token = await signIn();
    const post = (action: string, reason: string) =>
      call("POST", `/console/licenses/${id}/${action}`, consoleForm(token, { reason }));

    const freed = await post(`machines/${machine}/free`, "new computer, old one dead");
    expect(freed.status, freed.text).toBe(200); // the 303, followed to the license page
    expect(freed.text).toContain("No machine holds a seat.");
    expect(await activationsOf(id)).toEqual([]);
    expect(await auditRowsOf(`${id}/machines/${machine}`)).toMatchObject([
      { actor: AGENT, action: "free-machine", reason: "new computer, old one dead" },
    ]);
    expect((await post(`machines/${machine}/free`, "again")).status).toBe(404);

    expect((await post("reset-deactivations", "moved three times in a week")).status).toBe(200);
    expect((await licenseRow(id))?.deactivationsResetAt).not.toBeNull();

    const resent = await post("resend-email", "lost the email");
    expect(resent.status).toBe(200);
    const outbox = await outboxOf(id);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.textBody).toContain(key);
    // Delivered while this test's Resend fake still answers.
    await waitFor(async () => (await outboxOf(id))[0]?.sentAt, { what: "the resent email's sent_at" });

    expect((await post("revoke", "chargeback")).text).toContain('data-testid="standing">revoked<');
    const back = await post("reinstate", "chargeback withdrawn");
    expect(back.text).toContain('data-testid="standing">active<');
    expect(await licenseRow(id)).toMatchObject({ status: "active" });

    const entries = await auditRowsOf(id);
    expect(entries.map((e) => [e.actor, e.action, e.reason])).toEqual([
      [AGENT, "reset-deactivations", "moved three times in a week"],
      [AGENT, "resend-email", "lost the email"],
      [AGENT, "revoke", "chargeback"],
      [AGENT, "reinstate", "chargeback withdrawn"],
    ]);
    // The page's own audit table lists them, the machine's entry included.
    const shown = await page(`/console/licenses/${id}`);
    for (const action of ["free-machine", "reset-deactivations", "resend-email", "revoke", "reinstate"])
      expect(shown.text).toContain(`<td>${action}</td>`);
  });

  it("an expired license cannot be reinstated: 409, nothing changed", async () => {
    const { id } = await issueTestLicense({ status: "expired" });
    const res = await call("POST", `/console/licenses/${id}/reinstate`, consoleForm(await signIn(), { reason: "x" }));
    expect(res.status).toBe(409);
    expect((await licenseRow(id))?.status).toBe("expired");
    expect(await auditRowsOf(id)).toEqual([]);
  });
});

describe("attention, events and audit", () => {
  it("a failed event shows on Attention with its replay; the replay re-queues it, audited, and lands on its audit trail", async () => {
    useStripeScenario();
    const eventId = await insertFailedEvent();
    const attention = await page("/console/attention");
    expect(attention.status).toBe(200);
    expect(attention.text).toContain(eventId);
    expect(attention.text).toContain(`action="/console/events/${eventId}/replay"`);

    const token = await signIn();
    const path = `/console/events/${eventId}/replay`;
    expect((await call("POST", path, consoleForm(token, {}))).status).toBe(422);
    expect((await call("POST", path, consoleForm(token, { reason: "x" }, "https://evil.test"))).status).toBe(403);
    expect(await auditRowsOf(eventId)).toEqual([]);
    expect((await eventRow(eventId))?.status).toBe("failed");

    const replayed = await call("POST", path, consoleForm(token, { reason: "mapping fixed" }));
    expect(replayed.status, replayed.text).toBe(200); // the 303, followed to /console/audit?target=evt_…
    expect(replayed.text).toContain("mapping fixed");
    expect(await auditRowsOf(eventId)).toMatchObject([
      { actor: AGENT, action: "replay-event", reason: "mapping fixed" },
    ]);
    expect((await eventRow(eventId))?.errorCode).toBeNull();
    // Back on the queue: the consumer takes it (a customer.created changes nothing here) and records it.
    expect((await settled(eventId)).status).not.toBe("failed");
    const unknown = await call("POST", "/console/events/evt_unknown_x/replay", consoleForm(token, { reason: "x" }));
    expect(unknown.status).toBe(404);
    expect(await auditRowsOf("evt_unknown_x")).toEqual([]);
  });

  it("the event log filters by status, type and day; a malformed filter is a 422", async () => {
    const eventId = await insertFailedEvent();
    expect((await page("/console/events?status=failed")).text).toContain(eventId);
    expect((await page("/console/events?status=processed")).text).not.toContain(eventId);
    expect((await page("/console/events?type=customer.created&status=&from=&to=")).text).toContain(eventId);
    expect((await page("/console/events?type=invoice.paid")).text).not.toContain(eventId);
    const today = new Date().toISOString().slice(0, 10);
    expect((await page(`/console/events?from=${today}&to=${today}`)).text).toContain(eventId);
    expect((await page("/console/events?to=2001-01-01")).text).not.toContain(eventId);
    const bad = await page("/console/events?from=yesterday");
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("text/html");
    expect((await page("/console/events?status=lost")).status).toBe(422);
  });

  it("the audit page shows console and named-key entries alike, by target", async () => {
    const { id } = await issueTestLicense();
    await expectStatus(
      api.admin.licenses[":id"].revoke.$post(
        { param: { id }, json: { reason: "by the desk's key" } },
        { headers: { Authorization: `Bearer ${TEST_NAMED_KEY.secret}` } },
      ),
      200,
    );
    await call("POST", `/console/licenses/${id}/reinstate`, consoleForm(await signIn(), { reason: "by the console" }));
    const audit = await page(`/console/audit?target=${id}`);
    expect(audit.status).toBe(200);
    expect(audit.text).toContain(TEST_NAMED_KEY.name);
    expect(audit.text).toContain("by the desk&#39;s key");
    expect(audit.text).toContain(AGENT);
    expect(audit.text).toContain("by the console");
    expect(await auditRowsOf(id)).toMatchObject([
      { actor: TEST_NAMED_KEY.name, action: "revoke" },
      { actor: AGENT, action: "reinstate" },
    ]);
  });

  it("the stylesheet is served by the Worker itself, as CSS", async () => {
    const css = await call("GET", "/console/console.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toContain("text/css");
    expect(css.text).toContain(":focus-visible");
  });
});
