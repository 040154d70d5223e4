import { describe, expect, it } from "vitest";
import { TEST_INTERNAL_KEYS } from "../bindings";
import { checkoutSession, event, lineItem, newPurchase, subscription } from "../support/fakes/stripe-events";
import { issueTestLicense, randomEmail, randomMachineId } from "../support/factories";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";
import { licenseRow } from "../support/licenses";
import { eventRow, licenseOfSession, settled, useStripeScenario } from "../support/stripe-scenario";

const auth = { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}` };

describe("support endpoints (internal API key)", () => {
  it("every admin route answers 401 unauthorized without a valid internal key", async () => {
    const paths: [string, string][] = [
      ["GET", "/admin/licenses?email=a@b.test"],
      ["POST", "/admin/licenses/lic_x/revoke"],
      ["POST", "/admin/licenses/lic_x/reinstate"],
      ["POST", "/admin/licenses/lic_x/reset-deactivations"],
      ["GET", "/admin/events?status=failed"],
      ["POST", "/admin/events/evt_x/replay"],
    ];
    for (const [method, path] of paths) {
      const attempts: Record<string, string>[] = [
        {},
        { Authorization: "Bearer nope" },
        { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}x` },
      ];
      for (const headers of attempts) {
        // Any method and path of the /admin family: a raw request, read as a problem.
        const res = await call(method, path, { headers, body: method === "POST" ? { reason: "x" } : undefined });
        expect(expectProblem(res, 401, "unauthorized").ok, `${method} ${path}`).toBe(true);
      }
    }
  });

  it("GET /admin/licenses?email= lists licenses with their newest key, activations and subscription (email matched case-insensitively)", async () => {
    const email = randomEmail();
    const { id, key } = await issueTestLicense({ email });
    const machine = randomMachineId();
    await expectStatus(
      api.licenses.activate.$post({
        header: {},
        json: { key, machine_id: machine, machine_name: "Poste compta", platform: "windows" },
      }),
      200,
    );

    const findLicenses = (email: string) => api.admin.licenses.$get({ query: { email } }, { headers: auth });
    const res = await expectStatus(findLicenses(email.toUpperCase()), 200);
    expect(res.json.licenses).toHaveLength(1);
    expect(res.json.licenses[0]).toMatchObject({
      id,
      email,
      status: "active",
      key,
      token_count: 1,
      activations: [{ machine_id: machine, machine_name: "Poste compta", platform: "windows" }],
      subscription: null,
    });
    expect(expectProblem(await problemOf(findLicenses("not-an-email")), 422, "validation_failed").ok).toBe(true);
    expect((await expectStatus(findLicenses(randomEmail()), 200)).json).toEqual({ licenses: [] });
  });

  it("revoke with a reason, then reinstate: validate follows; unknown ids are 404; a reason is required", async () => {
    const { id, key } = await issueTestLicense();
    // No reason: a body the typed client will not build.
    const reasonless = await call("POST", `/admin/licenses/${id}/revoke`, { headers: auth, body: {} });
    expect(expectProblem(reasonless, 422, "validation_failed").ok).toBe(true);
    const revoke = (id: string) =>
      api.admin.licenses[":id"].revoke.$post(
        { param: { id }, json: { reason: "chargeback by phone" } },
        { headers: auth },
      );
    const validate = async () => (await api.licenses.validate.$post({ header: {}, json: { key } })).json();
    const revoked = await expectStatus(revoke(id), 200);
    expect(revoked.json.license).toMatchObject({
      id,
      status: "revoked",
      revoke_reason: "support: chargeback by phone",
    });
    expect(await licenseRow(id)).toMatchObject({ status: "revoked" });
    expect(await validate()).toMatchObject({ code: "revoked" });

    const back = await expectStatus(
      api.admin.licenses[":id"].reinstate.$post({ param: { id }, json: {} }, { headers: auth }),
      200,
    );
    expect(back.json.license).toMatchObject({ id, status: "active", revoke_reason: null, revoked_at: null });
    expect(await validate()).not.toMatchObject({ code: "revoked" });

    expect(expectProblem(await problemOf(revoke("lic_doesnotexist")), 404, "not_found").ok).toBe(true);
  });

  it("GET /admin/events?status=failed lists failed events; replay re-applies one once its cause is fixed", async () => {
    const { world } = useStripeScenario();
    const p = newPurchase();
    // No metadata, no mappable price: the checkout fails with unmapped_product.
    world.subscriptions.set(p.subscriptionId, subscription(p, { metadata: {} }));
    world.lineItems.set(p.sessionId, [lineItem(p, { lookup_key: "old_plan", product: "prod_x" })]);
    const e = event("checkout.session.completed", checkoutSession(p, { metadata: {} }));
    const { deliver } = await import("../support/fakes/stripe-events");
    await deliver(e);
    expect(await settled(e.id)).toMatchObject({ status: "failed", errorCode: "unmapped_product" });

    const failed = await expectStatus(
      api.admin.events.$get({ query: { status: "failed", limit: "200" } }, { headers: auth }),
      200,
    );
    expect(failed.json.events.find((x) => x.id === e.id)).toMatchObject({
      type: "checkout.session.completed",
      status: "failed",
      error_code: "unmapped_product",
    });

    // Support fixes the price in Stripe (lookup_key), then replays.
    world.lineItems.set(p.sessionId, [lineItem(p, { lookup_key: "simpl-resultat_base_month", product: "prod_x" })]);
    const replayEvent = (id: string) =>
      api.admin.events[":id"].replay.$post({ param: { id }, json: {} }, { headers: auth });
    const replay = await expectStatus(replayEvent(e.id), 202);
    expect(replay.json).toEqual({ replayed: true, event_id: e.id, type: "checkout.session.completed" });
    const license = await licenseOfSession(p.sessionId);
    expect(license).toMatchObject({ product: "simpl-resultat", tier: "base" });
    expect(await settled(e.id)).toMatchObject({ status: "processed" });
    expect((await eventRow(e.id))!.attempts).toBe(2);

    expect(expectProblem(await problemOf(replayEvent("evt_unknown")), 404, "not_found").ok).toBe(true);
  });
});
