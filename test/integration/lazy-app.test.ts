import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { ON_DEMAND_ROUTES } from "../../src/routes/on-demand";
import { call } from "../support/http";

// The Worker serves each operation through its own lazily built app (src/lazy-app.ts); the table it
// routes by must say exactly what the whole app has, each entry loading the router that serves it.
const DOCUMENT_ROUTES = new Set(["GET /openapi.json", "GET /docs", "GET /docs/assets/:file"]);

describe("the Worker's on-demand routes", () => {
  it("name every operation of the whole app once, by its method and path, except the document's own", () => {
    const whole = createApp()
      .routes.filter((r) => r.method !== "ALL")
      .map((r) => `${r.method} ${r.path}`)
      .filter((r) => !DOCUMENT_ROUTES.has(r))
      // The console's pages are few and for a handful of people: the whole app serves them (src/app.ts).
      .filter((r) => !r.split(" ")[1]?.startsWith("/console"));
    const onDemand = ON_DEMAND_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(onDemand).size).toBe(onDemand.length);
    expect([...onDemand].sort()).toEqual([...new Set(whole)].sort());
  });

  it("load, for each entry, the router that declares that very method and path", async () => {
    for (const route of ON_DEMAND_ROUTES) {
      const router = await route.load();
      expect(router.routes.map((r) => `${r.method} ${r.path}`)).toContain(`${route.method} ${route.path}`);
    }
  });

  it("leave the document, /docs and unknown paths to the whole app, with the same answers", async () => {
    // Raw requests throughout: the document is served outside the routers the typed client knows (App), and
    // an unknown path or a method a path does not have is what no typed client sends.
    const doc = await call("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.json).toHaveProperty(["paths", "/licenses/validate"]);
    const unknown = await call("GET", "/no/such/path");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(unknown.json).toMatchObject({ status: 404, code: "not_found" });
    expect(unknown.headers.get("x-request-id")).toBeTruthy();
    // A known path with a method it does not have answers as the whole app does.
    const wrongMethod = await call("GET", "/licenses/validate");
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.json).toMatchObject({ code: "not_found" });
  });
});
