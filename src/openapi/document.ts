import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { ProblemSchema } from "./problem-responses";
import { namedSchemas } from "./named-schemas";

type JsonObject = Record<string, unknown>;

const OPENAPI_VERSION = "3.1.0";

const SECURITY_SCHEMES = {
  internalApiKey: {
    type: "http",
    scheme: "bearer",
    description: "`Authorization: Bearer <key>`, one of `INTERNAL_API_KEYS`. Missing or wrong: `401 unauthorized`.",
  },
  logtoBearer: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "A Logto access token for the API resource `LOGTO_API_RESOURCE` (ES384 by default), verified against " +
      "`{LOGTO_ENDPOINT}/oidc/jwks`. Missing, invalid, expired or for another audience: `401 invalid_token`.",
  },
  stripeSignature: {
    type: "apiKey",
    in: "header",
    name: "Stripe-Signature",
    description: '`t=<unix>,v1=<hex HMAC-SHA256 of "t.rawbody">`, signed with the endpoint\'s `whsec_` secret.',
  },
} as const;

const HEADERS = {
  RequestId: { description: "Echoed from the request when sane, else generated.", schema: { type: "string" } },
  RetryAfter: { description: "Seconds to wait before retrying.", schema: { type: "string" } },
  WwwAuthenticate: { description: '`Bearer`, or `Bearer error="invalid_token"`.', schema: { type: "string" } },
} as const;

/** The components routes refer to by `$ref` rather than by a zod schema of their own. */
export function registerSharedComponents(app: OpenAPIHono<AppEnv>, schemas: Record<string, z.ZodType>) {
  const registry = app.openAPIRegistry;
  registry.register("Problem", ProblemSchema);
  for (const [name, schema] of Object.entries(schemas)) registry.register(name, schema);
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES))
    registry.registerComponent("securitySchemes", name, scheme);
  for (const [name, header] of Object.entries(HEADERS)) registry.registerComponent("headers", name, header);
}

/** The OpenAPI 3.1 document of every route registered on `app` (createRoute declarations). */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>): JsonObject {
  const doc = app.getOpenAPI31Document(DOCUMENT_HEAD) as unknown as JsonObject & {
    components: { schemas: Record<string, unknown> };
  };
  // zod-to-openapi's converter differs from zod's own in details (nullable, unions): the named
  // schemas are JSON Schema 2020-12 straight from zod, `io: "input"` (a field with a default is
  // optional to the client; responses stay open to added fields, as API.md allows).
  for (const [name, schema] of namedSchemas()) {
    if (!(name in doc.components.schemas)) continue;
    const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io: "input",
      unrepresentable: "any",
    });
    doc.components.schemas[name] = jsonSchema;
  }
  return doc;
}

// OpenAPI 3.1 allows `info.summary`; zod-to-openapi's config type predates it.
const DOCUMENT_HEAD = {
  openapi: OPENAPI_VERSION,
  info: {
    title: "maximus-api",
    version: "1",
    summary: "Licenses and subscriptions for Maximus's desktop apps",
    description:
      "Every error is RFC 9457 problem details (`application/problem+json`) with a stable `code`. " +
      "Times are ISO 8601 UTC. Every response carries `X-Request-Id`. The contract is docs/API.md.",
  },
  jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
  tags: [
    { name: "Licenses", description: "What the desktop apps call with a license key" },
    { name: "Account", description: "What the desktop apps call for a signed-in user (Logto)" },
    { name: "Stripe", description: "Stripe → us" },
    { name: "Support", description: "Support tools (internal API key)" },
    { name: "Service", description: "Health, keys, this document" },
  ],
} as unknown as Parameters<OpenAPIHono<AppEnv>["getOpenAPI31Document"]>[0];
