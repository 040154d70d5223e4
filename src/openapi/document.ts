import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "../errors";
import { OPERATIONS, type Named, type Operation, type SecurityName } from "./operations";
import { Problem } from "./responses";

type JsonSchema = Record<string, unknown>;

export const OPENAPI_VERSION = "3.1.0";

// OpenAPI 3.1 schemas are JSON Schema 2020-12. `io: "input"` for requests (a field with a default is
// optional to the client); responses have no defaults or transforms, and "input" keeps them open to
// added fields (API.md: fields are added freely) instead of `additionalProperties: false`.
function toSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
  return rest;
}

const SECURITY_SCHEMES: Record<SecurityName, JsonSchema> = {
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
      "`${LOGTO_ENDPOINT}/oidc/jwks`. Missing, invalid, expired or for another audience: `401 invalid_token`.",
  },
  stripeSignature: {
    type: "apiKey",
    in: "header",
    name: "Stripe-Signature",
    description: "`t=<unix>,v1=<hex HMAC-SHA256 of \"t.rawbody\">`, signed with the endpoint's `whsec_` secret.",
  },
};

const ERRORS_OF_SECURITY: Record<SecurityName, ErrorCode[]> = {
  // A failed attempt counts against the client IP's limit (middleware/rate-limit.ts).
  internalApiKey: ["unauthorized", "rate_limited"],
  logtoBearer: ["invalid_token", "unavailable", "rate_limited"],
  stripeSignature: [],
};

export function errorCodesOf(op: Operation): ErrorCode[] {
  const codes = new Set<ErrorCode>(op.errors);
  if (op.body && !op.rawBody) ["malformed_json", "payload_too_large", "validation_failed"].forEach((c) => codes.add(c as ErrorCode));
  if (op.query) codes.add("validation_failed");
  if (op.security) ERRORS_OF_SECURITY[op.security].forEach((c) => codes.add(c));
  if (op.rateLimited) codes.add("rate_limited");
  codes.add("internal_error");
  codes.add("misconfigured"); // any request, while the deployment's configuration is refused (config.ts)
  return [...codes];
}

const ref = (section: string, name: string) => ({ $ref: `#/components/${section}/${name}` });
// The codes whose answers carry these headers (middleware/internal-auth.ts, logto-auth.ts, rate-limit.ts, ...).
const CHALLENGED = new Set<ErrorCode>(["unauthorized", "invalid_token"]);
const RETRY_AFTER = new Set<ErrorCode>(["rate_limited", "deactivation_limit_reached", "unavailable", "not_ready"]);

function problemResponses(codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_CODES[code].status, [...(byStatus.get(ERROR_CODES[code].status) ?? []), code]);
  const responses: Record<string, JsonSchema> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Record<string, JsonSchema> = { "X-Request-Id": ref("headers", "RequestId") };
    if (list.some((c) => CHALLENGED.has(c))) headers["WWW-Authenticate"] = ref("headers", "WwwAuthenticate");
    if (list.some((c) => RETRY_AFTER.has(c))) headers["Retry-After"] = ref("headers", "RetryAfter");
    responses[String(status)] = {
      description: list.map((c) => `\`${c}\``).join(", "),
      headers,
      content: {
        "application/problem+json": {
          schema: { allOf: [ref("schemas", "Problem"), { type: "object", properties: { code: { enum: list } } }] },
        },
      },
    };
  }
  return responses;
}

/** The OpenAPI 3.1 document of every operation in OPERATIONS, request schemas from the routes' own zod objects. */
export function buildOpenApiDocument(): JsonSchema {
  const schemas: Record<string, JsonSchema> = { Problem: toSchema(Problem) };
  const component = ({ name, schema }: Named) => {
    schemas[name] ??= toSchema(schema);
    return ref("schemas", name);
  };

  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    const parameters: JsonSchema[] = [];
    for (const [name, description] of Object.entries(op.pathParams ?? {})) {
      parameters.push({ name, in: "path", required: true, description, schema: { type: "string" } });
    }
    if (op.query) {
      const query = toSchema(op.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: "query", required: query.required?.includes(name) ?? false, schema });
      }
    }
    const success = op.success;
    const successContent = success.body
      ? { "application/json": { schema: component(success.body) } }
      : { [success.contentType ?? "application/json"]: { schema: success.contentType ? { type: "string" } : { type: "object" } } };

    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security: op.security ? [{ [op.security]: [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: component(op.body) } } } } : {}),
      responses: {
        [String(success.status)]: { description: success.description, headers: { "X-Request-Id": ref("headers", "RequestId") }, content: successContent },
        ...problemResponses(errorCodesOf(op)),
      },
    };
  }

  return {
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
    paths,
    components: {
      schemas,
      securitySchemes: SECURITY_SCHEMES,
      headers: {
        RequestId: { description: "Echoed from the request when sane, else generated.", schema: { type: "string" } },
        RetryAfter: { description: "Seconds to wait before retrying.", schema: { type: "string" } },
        WwwAuthenticate: { description: "`Bearer`, or `Bearer error=\"invalid_token\"`.", schema: { type: "string" } },
      },
    },
  };
}

let cached: JsonSchema | null = null;
/** Built once per isolate: it depends on code only. */
export const openApiDocument = (): JsonSchema => (cached ??= buildOpenApiDocument());
