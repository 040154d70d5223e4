import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createRoute, z } from "@hono/zod-openapi";
import { createApp } from "../../src/app";
import { AppError, ERROR_CODES, type ErrorCode, problemType } from "../../src/errors";
import { jsonBody } from "../../src/routes/_shared/declare";
import { api, expectStatus } from "../support/api";
import { call } from "../support/http";

// The real app with two extra routes, to exercise the shared error paths that every endpoint uses.
function appWithProbeRoutes() {
  const app = createApp();
  const probe = createRoute({
    method: "post",
    path: "/__probe/json",
    request: { body: jsonBody(z.object({ email: z.string().email(), count: z.number().int() })) },
    responses: { 200: { description: "echo" } },
  });
  app.openapi(probe, (c) => c.json(c.req.valid("json"), 200));
  app.get("/__probe/unauthorized", () => {
    throw new AppError("unauthorized", "probe", { headers: { "WWW-Authenticate": "Bearer" } });
  });
  app.get("/__probe/crash", () => {
    throw new Error("secret detail sk_test_123 at db.ts:42");
  });
  return (req: Request) => app.fetch(req, env, createExecutionContext());
}

/** The page or JSON that a problem's `type` URL names, by the slug the URL ends with. */
const describeProblem = (type: string, headers: Record<string, string> = {}) =>
  api.problems[":code"].$get({ param: { code: new URL(type).pathname.replace("/problems/", "") } }, { headers });

const problemOf = async (res: Response) => ({
  status: res.status,
  type: res.headers.get("content-type"),
  requestId: res.headers.get("x-request-id"),
  body: (await res.json()) as Record<string, unknown>,
});

describe("error contract (RFC 9457 problem details)", () => {
  const fetch = appWithProbeRoutes();

  it("unknown routes are 404 not_found as problem+json, with a request id", async () => {
    const res = await call("GET", "/nope"); // no such route: nothing the typed client can name
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.json).toMatchObject({ status: 404, code: "not_found", title: "Not found" });
    expect(res.headers.get("x-request-id")).toMatch(/.{8,}/);
  });

  it("echoes the caller's X-Request-Id", async () => {
    const res = await api.health.$get({}, { headers: { "X-Request-Id": "req-abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("req-abc-123");
  });

  it("malformed JSON is 400 malformed_json", async () => {
    const p = await problemOf(await fetch(new Request("http://x/__probe/json", { method: "POST", body: "{nope" })));
    expect(p).toMatchObject({
      status: 400,
      type: "application/problem+json",
      body: { code: "malformed_json", status: 400 },
    });
  });

  it("invalid fields are 422 validation_failed with an errors array of path and message", async () => {
    const res = await fetch(
      new Request("http://x/__probe/json", { method: "POST", body: JSON.stringify({ email: "x", count: 1.5 }) }),
    );
    const p = await problemOf(res);
    expect(p.status).toBe(422);
    expect(p.body.code).toBe("validation_failed");
    expect(p.body.request_id).toBe(p.requestId);
    expect(p.body.errors).toEqual(
      expect.arrayContaining([
        { path: "email", message: expect.any(String) },
        { path: "count", message: expect.any(String) },
      ]),
    );
  });

  it("bodies over the limit are 413 payload_too_large, also when chunked without Content-Length", async () => {
    const big = "x".repeat(20 * 1024);
    const withLength = await problemOf(
      await fetch(new Request("http://x/__probe/json", { method: "POST", body: big })),
    );
    expect(withLength).toMatchObject({ status: 413, body: { code: "payload_too_large" } });

    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
        controller.close();
      },
    });
    const req = new Request("http://x/__probe/json", { method: "POST", body: chunks, duplex: "half" } as RequestInit);
    expect(req.headers.get("content-length")).toBeNull();
    expect(await problemOf(await fetch(req))).toMatchObject({ status: 413, body: { code: "payload_too_large" } });
  });

  it("unexpected errors are a generic 500 that leaks no message, stack or secret", async () => {
    const p = await problemOf(await fetch(new Request("http://x/__probe/crash")));
    expect(p).toMatchObject({ status: 500, type: "application/problem+json", body: { code: "internal_error" } });
    const text = JSON.stringify(p.body);
    expect(text).not.toContain("sk_test_123");
    expect(text).not.toContain("db.ts");
  });
  it("every problem body carries request_id, the response's X-Request-Id (also when the caller chose it)", async () => {
    const probes: [string, RequestInit, number][] = [
      ["/__probe/json", { method: "POST", body: "{nope" }, 400],
      ["/__probe/json", { method: "POST", body: JSON.stringify({ email: "x", count: 1 }) }, 422],
      ["/__probe/json", { method: "POST", body: "x".repeat(20 * 1024) }, 413],
      ["/__probe/unauthorized", {}, 401],
      ["/__probe/crash", {}, 500],
      ["/nope", {}, 404],
    ];
    for (const [path, init, status] of probes) {
      const p = await problemOf(await fetch(new Request(`http://x${path}`, init)));
      expect(p.status, path).toBe(status);
      expect(p.requestId, path).toMatch(/.{8,}/);
      expect(p.body.request_id, path).toBe(p.requestId);
      expect(p.body.type, path).toBe(problemType(p.body.code as ErrorCode));
      expect((await describeProblem(String(p.body.type))).status, path).toBe(200);
    }
    const chosen = await call("GET", "/nope", { headers: { "X-Request-Id": "req-problem-42" } });
    expect(chosen.json).toMatchObject({ code: "not_found", request_id: "req-problem-42" });
    // An insane id is replaced, in the header and the body alike.
    const insane = await call("GET", "/nope", { headers: { "X-Request-Id": "<script>" } });
    expect(insane.json?.request_id).toBe(insane.headers.get("x-request-id"));
    expect(insane.json?.request_id).not.toBe("<script>");
  });

  it("every code's type URL resolves through the app: a page with its title, status and what to do", async () => {
    for (const [code, { status, title, action }] of Object.entries(ERROR_CODES) as [
      ErrorCode,
      (typeof ERROR_CODES)[ErrorCode],
    ][]) {
      // The same function builds every problem's type (the test above checks real answers carry it).
      const type = problemType(code);
      expect(type).toBe(`https://api.maximus.example/problems/${code.replaceAll("_", "-")}`);
      const page = await describeProblem(type);
      expect(page.status, code).toBe(200);
      expect(page.headers.get("content-type"), code).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html, code).toContain(`<h1>${title}</h1>`);
      expect(html, code).toContain(`HTTP ${status}`);
      expect(html, code).toContain(`"${code}"`);
      expect(action.length, code).toBeGreaterThan(10);

      const json = await expectStatus(describeProblem(type, { Accept: "application/json" }), 200);
      expect(json.json).toEqual({ type, code, title, status, action });
    }
  });

  it("a problem page also answers to the code as is; an unknown code is a 404 problem", async () => {
    const asIs = await expectStatus(
      api.problems[":code"].$get({ param: { code: "invalid_token" } }, { headers: { Accept: "application/json" } }),
      200,
    );
    expect(asIs.json).toMatchObject({ code: "invalid_token", status: 401 });

    for (const code of ["no-such-code", "toString", "__proto__"]) {
      const res = await expectStatus(api.problems[":code"].$get({ param: { code } }), 404);
      expect(res.headers.get("content-type"), code).toMatch(/^application\/problem\+json/);
      expect(res.json, code).toMatchObject({ code: "not_found", request_id: res.headers.get("x-request-id") });
    }
  });
});
