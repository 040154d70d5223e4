import { OpenAPIHono, z, type Hook } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { AppError, type ErrorCode, type ValidationIssue } from "../errors";
import { KiB, limitBody } from "../middleware/body-limit";

// Building blocks every route declaration uses, so each route file is one createRoute + its handler.

const toValidationIssues = (error: z.ZodError): ValidationIssue[] =>
  error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));

/** Every validation failure (body, query, path) is the same 422 problem+json; never the validator's raw output. */
export const validationHook: Hook<unknown, AppEnv, string, void> = (result) => {
  if (!result.success) {
    throw new AppError("validation_failed", "The request has invalid fields.", { extra: { errors: toValidationIssues(result.error) } });
  }
};

export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

export const SECURITY = {
  none: [],
  internalApiKey: [{ internalApiKey: [] }],
  logtoBearer: [{ logtoBearer: [] }],
  stripeSignature: [{ stripeSignature: [] }],
};

/** What each kind of auth may answer (middleware/internal-auth.ts, logto-auth.ts). */
export const AUTH_ERRORS = {
  internalApiKey: ["unauthorized"],
  logtoBearer: ["invalid_token", "unavailable"],
} as const satisfies Record<string, ErrorCode[]>;

/** A JSON body: limited to 16 KiB, malformed JSON is 400, invalid fields 422. */
export const JSON_BODY_ERRORS = ["malformed_json", "payload_too_large", "validation_failed"] as const satisfies ErrorCode[];
export const limitJsonBody = limitBody(16 * KiB);

export const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { "application/json": { schema } } });

const REQUEST_ID = { "X-Request-Id": { $ref: "#/components/headers/RequestId" } };

export const jsonResponse = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  headers: REQUEST_ID,
  content: { "application/json": { schema } },
});

/** ISO 8601 UTC, whole seconds, as every time in the API. */
export const isoTime = z.iso.datetime().describe("ISO 8601 UTC, whole seconds: 2026-12-01T00:00:00Z");
