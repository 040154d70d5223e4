import { describe, expect, it } from "vitest";
import { TEST_INTERNAL_KEYS } from "../bindings";
import { checkoutSession, event, lineItem, newPurchase, subscription } from "../support/fakes/stripe-events";
import { issueTestLicense, randomEmail, randomMachineId } from "../support/factories";
import { call } from "../support/http";
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
        const res = await call(method, path, { headers, body: method === "POST" ? { reason: "x" } : undefined });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.json.code).toBe("unauthorized");
      }
    }
  });

  it("GET /admin/licenses?email= lists licenses with their newest key, activations and subscription (email matched case-insensitively)", async () => {
    const email = randomEmail();
    const { id, key } = await issueTestLicense({ email });
    const machine = randomMachineId();
    expect(
      (
        await call("POST", "/licenses/activate", {
          body: { key, machine_id: machine, machine_name: "Poste compta", platform: "windows" },
        })
      ).status,
    ).toBe(200);

    const res = await call("GET", `/admin/licenses?email=${encodeURIComponent(email.toUpperCase())}`, {
      headers: auth,
    });
    expect(res.status).toBe(200);
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
    expect((await call("GET", "/admin/licenses?email=not-an-email", { headers: auth })).json.code).toBe(
      "validation_failed",
    );
    expect((await call("GET", `/admin/licenses?email=${randomEmail()}`, { headers: auth })).json).toEqual({
      licenses: [],
    });
  });

  it("revoke with a reason, then reinstate: validate follows; unknown ids are 404; a reason is required", async () => {
    const { id, key } = await issueTestLicense();
    expect((await call("POST", `/admin/licenses/${id}/revoke`, { headers: auth, body: {} })).status).toBe(422);
    const revoked = await call("POST", `/admin/licenses/${id}/revoke`, {
      headers: auth,
      body: { reason: "chargeback by phone" },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.json.license).toMatchObject({
      id,
      status: "revoked",
      revoke_reason: "support: chargeback by phone",
    });
    expect(await licenseRow(id)).toMatchObject({ status: "revoked" });
    expect((await call("POST", "/licenses/validate", { body: { key } })).json.code).toBe("revoked");

    const back = await call("POST", `/admin/licenses/${id}/reinstate`, { headers: auth });
    expect(back.json.license).toMatchObject({ id, status: "active", revoke_reason: null, revoked_at: null });
    expect((await call("POST", "/licenses/validate", { body: { key } })).json.code).not.toBe("revoked");

    const missing = await call("POST", "/admin/licenses/lic_doesnotexist/revoke", {
      headers: auth,
      body: { reason: "x" },
    });
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe("not_found");
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

    const failed = await call("GET", "/admin/events?status=failed&limit=200", { headers: auth });
    expect(failed.status).toBe(200);
    expect(failed.json.events.find((x: { id: string }) => x.id === e.id)).toMatchObject({
      type: "checkout.session.completed",
      status: "failed",
      error_code: "unmapped_product",
    });

    // Support fixes the price in Stripe (lookup_key), then replays.
    world.lineItems.set(p.sessionId, [lineItem(p, { lookup_key: "simpl-resultat_base_month", product: "prod_x" })]);
    const replay = await call("POST", `/admin/events/${e.id}/replay`, { headers: auth });
    expect(replay.status).toBe(202);
    expect(replay.json).toEqual({ replayed: true, event_id: e.id, type: "checkout.session.completed" });
    const license = await licenseOfSession(p.sessionId);
    expect(license).toMatchObject({ product: "simpl-resultat", tier: "base" });
    expect(await settled(e.id)).toMatchObject({ status: "processed" });
    expect((await eventRow(e.id))!.attempts).toBe(2);

    expect((await call("POST", "/admin/events/evt_unknown/replay", { headers: auth })).status).toBe(404);
  });
});
