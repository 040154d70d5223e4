import { describe, expect, it } from "vitest";
import { assertion, consoleForm, useAccessStandIn } from "../console/access-session";
import { auditRowsOf } from "../console/audit-rows";
import { issueTestLicense } from "../support/factories";
import { call, expectProblem } from "../support/http";
import { licenseRow } from "../support/licenses";

const session = useAccessStandIn();

describe("the console behind Cloudflare Access", () => {
  it("the stand-in's certs have Cloudflare's shape: keys (RS256 JWKs, current and previous), public_cert, public_certs", () => {
    const certs = session.access.certs();
    expect(Object.keys(certs).sort()).toEqual(["keys", "public_cert", "public_certs"]);
    expect(certs.keys).toHaveLength(2);
    for (const k of certs.keys) expect(k).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", e: "AQAB" });
    expect(certs.keys[0]?.kid).toMatch(/^[0-9a-f]{64}$/);
    expect(certs.public_cert).toEqual({ kid: certs.keys[0]?.kid, cert: expect.stringContaining("-----BEGIN") });
    expect(certs.public_certs.map((c: { kid: string }) => c.kid)).toEqual(certs.keys.map((k) => k.kid));
  });

  it("no token 401; another audience or issuer 403; a valid header or cookie token 200", async () => {
    expect(expectProblem(await call("GET", "/console"), 401, "unauthorized").ok).toBe(true);
    expect(
      expectProblem(await call("GET", "/console", { headers: assertion("not.a.jwt") }), 401, "unauthorized").ok,
    ).toBe(true);
    const otherAud = await session.access.mint({ claims: { aud: ["another-application"] } });
    expect(expectProblem(await call("GET", "/console", { headers: assertion(otherAud) }), 403, "forbidden").ok).toBe(
      true,
    );
    const otherIss = await session.access.mint({ claims: { iss: "https://other-team.cloudflareaccess.com" } });
    expect((await call("GET", "/console", { headers: assertion(otherIss) })).status).toBe(403);
    const expired = await session.access.mint({ claims: { exp: Math.floor(Date.now() / 1000) - 3600 } });
    expect((await call("GET", "/console", { headers: assertion(expired) })).status).toBe(401);

    const token = await session.access.mint({ email: "agent@maximus.test" });
    const ok = await call("GET", "/console", { headers: assertion(token) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(ok.text).toContain("agent@maximus.test");
    const viaCookie = await call("GET", "/console", { headers: { Cookie: `CF_Authorization=${token}` } });
    expect(viaCookie.status).toBe(200);
    // A browser gets a page with the same status.
    const page = await call("GET", "/console", { headers: { Accept: "text/html" } });
    expect(page.status).toBe(401);
    expect(page.headers.get("content-type")).toContain("text/html");
  });

  it("revoke from the console: 422 without a reason and 403 from another origin change nothing; with both, 303 and one audit row by the Access email", async () => {
    const { id } = await issueTestLicense();
    const token = await session.access.mint({ email: "agent@maximus.test" });
    const path = `/console/licenses/${id}/revoke`;
    const missing = await call("POST", path, consoleForm(token, {}));
    expect(missing.status, missing.text).toBe(422);
    const blank = await call("POST", path, consoleForm(token, { reason: "   " }));
    expect(blank.status, blank.text).toBe(422);
    const foreign = await call("POST", path, consoleForm(token, { reason: "refund by phone" }, "https://evil.test"));
    expect(foreign.status, foreign.text).toBe(403);
    expect((await licenseRow(id))?.status).toBe("active");
    expect(await auditRowsOf(id)).toEqual([]);

    const done = await call("POST", path, consoleForm(token, { reason: "refund by phone" }));
    // The Worker's fetch follows the 303 to the license page, which shows the new standing.
    expect(done.status, done.text).toBe(200);
    expect(done.text).toContain('data-testid="standing">revoked<');
    expect(await licenseRow(id)).toMatchObject({ status: "revoked", revokeReason: "support: refund by phone" });
    expect(await auditRowsOf(id)).toMatchObject([
      { actor: "agent@maximus.test", action: "revoke", reason: "refund by phone" },
    ]);
    const found = await call("GET", `/console?q=${id}`, { headers: assertion(token) });
    expect(found.text).toContain(`/console/licenses/${id}`);
    expect(found.text).toContain("revoked");
  });
  it("erase from the console (6/7): the search offers it for an address; 422 without a reason and 403 from another origin change nothing; done, the audit row names the Access email", async () => {
    const { id, license } = await issueTestLicense();
    const email = license.email!;
    const token = await session.access.mint({ email: "agent@maximus.test" });
    const page = await call("GET", `/console?q=${encodeURIComponent(email)}`, { headers: assertion(token) });
    expect(page.text).toContain('action="/console/customers/erase"');
    const path = "/console/customers/erase";
    expect((await call("POST", path, consoleForm(token, { email }))).status).toBe(422);
    expect((await call("POST", path, consoleForm(token, { email, reason: "asked" }, "https://evil.test"))).status).toBe(
      403,
    );
    expect((await licenseRow(id))?.email).toBe(email);
    expect(await auditRowsOf(id)).toEqual([]);

    const done = await call("POST", path, consoleForm(token, { email, reason: "asked by email" }));
    expect(done.status, done.text).toBe(200); // the 303, followed to the search by license id
    expect(done.text).not.toContain(email);
    expect((await licenseRow(id))?.email).toBeNull();
    expect(await auditRowsOf(id)).toMatchObject([
      { actor: "agent@maximus.test", action: "erase-customer", reason: "asked by email" },
    ]);
  });
});
