import { Validator } from "@seriousme/openapi-schema-validator";
import openApi31Schema from "@seriousme/openapi-schema-validator/schemas/v3.1/schema.json";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp } from "../../src/app";
import { ERROR_CODES } from "../../src/errors";
import { ActivateBody, type ActivateResponse } from "../../src/routes/licenses/activate";
import { GenerateLicenseBody } from "../../src/routes/licenses/generate";
import { TEST_INTERNAL_KEYS } from "../bindings";
import { issueTestLicense, randomEmail, randomMachineId } from "../support/factories";
import { api, expectStatus, problemOf } from "../support/api";
import { call, expectProblem } from "../support/http";

type Doc = {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any>; securitySchemes: Record<string, any> };
};
// /openapi.json and /docs describe the API and are not among its typed routes (App): raw calls read them.
const fetchDocument = async () => (await call("GET", "/openapi.json")).json as Doc;
const auth = { Authorization: `Bearer ${TEST_INTERNAL_KEYS[0]}` };

// Both ajv constructors are CommonJS modules whose default export Vite may or may not unwrap.
const unwrap = <T>(m: T): T => (m as { default?: T }).default ?? m;
function newAjv() {
  const Ajv = unwrap(Ajv2020);
  const ajv = new Ajv({ strict: false, allErrors: true });
  unwrap(addFormats)(ajv);
  ajv.addFormat("media-range", true); // as the validator's own setup does
  return ajv;
}

/**
 * The validator reads its JSON schema with node:fs, which has no package files inside workerd; we
 * hand it the same schema compiled the same way (its getAjvValidator), bundled by Vite instead.
 */
function openApiValidator() {
  const validator = new Validator();
  (validator as unknown as { ajvValidators: Record<string, unknown> }).ajvValidators["3.1"] =
    newAjv().compile(openApi31Schema);
  return validator;
}

/** Hono's `/admin/licenses/:id/revoke` as OpenAPI writes it. */
const templated = (path: string) => path.replace(/:([A-Za-z_]+)/g, "{$1}");

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json?.openapi).toBe("3.1.0");
    const result = await openApiValidator().validate(JSON.parse(res.text));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("the validator does reject a broken document (the check has teeth)", async () => {
    const broken = structuredClone(await fetchDocument()) as any;
    broken.paths["/health"].get.responses = { "200": { content: {} } }; // no description
    broken.paths["/licenses/activate"].post.requestBody.content["application/json"].schema = {
      $ref: "#/components/schemas/Nope",
    };
    expect((await openApiValidator().validate(broken)).valid).toBe(false);
  });

  it("documents every route registered in the app, and no route the app does not have", async () => {
    const doc = await fetchDocument();
    const registered = new Set(
      createApp()
        // The support console is HTML for people, not the API: declared with hide (API.md documents it).
        .routes.filter((r) => r.method !== "ALL" && !r.path.startsWith("/console"))
        .map((r) => `${r.method} ${templated(r.path)}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    expect(registered.size).toBeGreaterThanOrEqual(18);
    expect([...registered].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((d) => !registered.has(d))).toEqual([]);
  });

  it("has every endpoint of the contract (API.md)", async () => {
    const doc = await fetchDocument();
    const contract = [
      "GET /health",
      "GET /.well-known/jwks.json",
      "POST /subscriptions/webhook",
      "POST /licenses/generate",
      "POST /licenses/activate",
      "POST /licenses/validate",
      "POST /licenses/deactivate",
      "GET /subscriptions/status",
      "POST /checkout/sessions",
      "POST /billing/portal",
      "GET /checkout/sessions/{id}/license",
      "GET /admin/licenses",
      "POST /admin/licenses/{id}/revoke",
      "POST /admin/licenses/{id}/reinstate",
      "POST /admin/licenses/{id}/reset-deactivations",
      "GET /admin/events",
      "POST /admin/events/{id}/replay",
    ];
    for (const entry of contract) {
      const [method, path] = entry.split(" ") as [string, string];
      expect(doc.paths[path]?.[method.toLowerCase()], entry).toBeDefined();
    }
  });

  it("declares problem+json errors on every operation, with codes from the closed list", async () => {
    const doc = await fetchDocument();
    expect(doc.components.schemas.Problem.properties.code.enum).toEqual(Object.keys(ERROR_CODES));
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const errors = Object.entries(op.responses as Record<string, any>).filter(([status]) => Number(status) >= 400);
        expect(errors.length, `${method} ${path}`).toBeGreaterThan(0);
        for (const [status, response] of errors) {
          const schema = response.content["application/problem+json"]?.schema;
          expect(schema?.allOf?.[0], `${method} ${path} ${status}`).toEqual({ $ref: "#/components/schemas/Problem" });
          for (const code of schema.allOf[1].properties.code.enum) {
            expect(ERROR_CODES[code as keyof typeof ERROR_CODES].status, `${method} ${path} ${code}`).toBe(
              Number(status),
            );
          }
        }
      }
    }
    const activate = doc.paths["/licenses/activate"]!.post.responses;
    expect(activate["403"].content["application/problem+json"].schema.allOf[1].properties.code.enum).toEqual([
      "license_revoked",
      "license_suspended",
      "license_expired",
    ]);
    expect(activate["422"].description).toContain("validation_failed");
    expect(activate["429"].headers["Retry-After"]).toBeDefined();
    // invalid_license is no auth challenge, invalid_proof is (DPoP algs="EdDSA")
    expect(activate["401"].headers["WWW-Authenticate"]).toBeDefined();
    expect(doc.paths["/licenses/generate"]!.post.responses["401"].headers["WWW-Authenticate"]).toBeDefined();
    expect(
      doc.paths["/subscriptions/status"]!.get.responses["401"].content["application/problem+json"].schema.allOf[1]
        .properties.code.enum,
    ).toEqual(["invalid_token"]);
  });

  it("uses the routes' own zod schemas for requests, and the three security schemes", async () => {
    const doc = await fetchDocument();
    const { $schema: _a, ...activate } = z.toJSONSchema(ActivateBody, { target: "draft-2020-12", io: "input" });
    expect(doc.components.schemas.ActivateRequest).toEqual(activate);
    expect(doc.components.schemas.ActivateRequest.properties.machine_id).toMatchObject({
      minLength: 16,
      maxLength: 128,
    });
    const { $schema: _b, ...generate } = z.toJSONSchema(GenerateLicenseBody, { target: "draft-2020-12", io: "input" });
    expect(doc.components.schemas.GenerateLicenseRequest).toEqual(generate);
    expect(doc.paths["/admin/events"]!.get.parameters.map((p: any) => [p.name, p.in, p.required])).toEqual([
      ["status", "query", false],
      ["limit", "query", false],
    ]);

    expect(doc.components.securitySchemes).toMatchObject({
      internalApiKey: { type: "http", scheme: "bearer" },
      logtoBearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
      stripeSignature: { type: "apiKey", in: "header", name: "Stripe-Signature" },
    });
    expect(doc.paths["/licenses/generate"]!.post.security).toEqual([{ internalApiKey: [] }]);
    expect(doc.paths["/subscriptions/status"]!.get.security).toEqual([{ logtoBearer: [] }]);
    expect(doc.paths["/subscriptions/webhook"]!.post.security).toEqual([{ stripeSignature: [] }]);
    expect(doc.paths["/licenses/activate"]!.post.security).toEqual([]);
  });

  it("real responses match the documented response schemas", async () => {
    const doc = await fetchDocument();
    const ajv = newAjv().addSchema(doc, "openapi");
    const check = (name: string, body: unknown) => {
      const validate = ajv.getSchema(`openapi#/components/schemas/${name}`)!;
      expect(validate(body), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    };
    const problem = (body: unknown) => check("Problem", body);

    check("HealthResponse", (await expectStatus(api.health.$get(), 200)).json);
    check("JwksResponse", (await expectStatus(api[".well-known"]["jwks.json"].$get(), 200)).json);
    const email = randomEmail();
    const generated = await expectStatus(
      api.licenses.generate.$post(
        { json: { email, product: "simpl-liste", tier: "premium", duration_days: 30 } },
        { headers: auth },
      ),
      201,
    );
    check("GeneratedLicense", generated.json);
    const { key } = generated.json;

    const machine_id = randomMachineId();
    // Tests type bodies by the route's own declaration: a renamed field fails to compile here.
    const activated: ActivateResponse = (
      await expectStatus(api.licenses.activate.$post({ header: {}, json: { key, machine_id } }), 200)
    ).json;
    check("ActivateResponse", activated);
    expect(activated.activation.machine_id).toBe(machine_id);
    const validate = (json: { key: string; machine_id?: string }) => api.licenses.validate.$post({ header: {}, json });
    check("ValidateResponse", (await expectStatus(validate({ key, machine_id }), 200)).json);
    check("ValidateResponse", (await expectStatus(validate({ key: "SR-BASE-nope" }), 200)).json);
    check(
      "AdminLicenseList",
      (await expectStatus(api.admin.licenses.$get({ query: { email } }, { headers: auth }), 200)).json,
    );
    check(
      "DeactivateResponse",
      (await expectStatus(api.licenses.deactivate.$post({ header: {}, json: { key, machine_id } }), 200)).json,
    );
    const { id } = await issueTestLicense();
    const revoke = api.admin.licenses[":id"].revoke.$post(
      { param: { id }, json: { reason: "test" } },
      { headers: auth },
    );
    check("AdminLicenseResponse", (await expectStatus(revoke, 200)).json);
    check(
      "AdminEventList",
      (await expectStatus(api.admin.events.$get({ query: { limit: "5" } }, { headers: auth }), 200)).json,
    );

    const badKey = api.licenses.activate.$post({ header: {}, json: { key: "x", machine_id: "short" } });
    problem((await problemOf(badKey)).json);
    problem((await problemOf(api.subscriptions.status.$get({ query: {} }))).json);
  });
});

const docsPage = async () => {
  const page = await call("GET", "/docs");
  expect(page.status).toBe(200);
  return page;
};

describe("GET /docs", () => {
  it("is an HTML page that lists every operation without JavaScript", async () => {
    const [page, doc] = await Promise.all([docsPage(), fetchDocument()]);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain('href="/openapi.json"');
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        expect(page.text, `${method} ${path}`).toContain(
          `<td><code>${method.toUpperCase()}</code></td><td><code>${path}</code></td>`,
        );
      }
    }
  });

  it("loads its interactive reference only from this origin, under a strict Content-Security-Policy", async () => {
    const page = await docsPage();
    const csp = page.headers.get("content-security-policy") ?? "";
    const directives = Object.fromEntries(
      csp
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["connect-src"]).toEqual(["'self'"]);
    expect(csp).not.toMatch(/https?:|\*/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const sources = [...page.text.matchAll(/<(?:script|link)[^>]*(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual([
      "/docs/assets/swagger-ui.css",
      "/docs/assets/swagger-ui-bundle.js",
      "/docs/assets/start.js",
    ]);
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script for the CSP to forbid
  });

  it("serves Swagger UI's files and its start script from the Worker, with nosniff and the CSP", async () => {
    for (const [path, type, marker] of [
      ["/docs/assets/swagger-ui-bundle.js", "text/javascript", "SwaggerUIBundle"],
      ["/docs/assets/swagger-ui.css", "text/css", ".swagger-ui"],
      ["/docs/assets/start.js", "text/javascript", 'url: "/openapi.json"'],
    ] as const) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(new RegExp(`^${type}`));
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("content-security-policy"), path).toContain("default-src 'none'");
      expect(res.text, path).toContain(marker);
    }
  });

  it("serves no other file of the Swagger UI package", async () => {
    for (const path of [
      "/docs/assets/package.json",
      "/docs/assets/index.html",
      "/docs/assets/swagger-ui-bundle.js.map",
      "/package.json",
    ]) {
      const res = await call("GET", path);
      expect(expectProblem(res, 404, "not_found").ok, path).toBe(true);
    }
  });
});
