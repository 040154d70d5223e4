import { OpenAPIHono, z, type Hook } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { AppError, type ErrorCode, type ValidationIssue } from "../../errors";
import { loneSurrogateIssues } from "../../lib/text";
import { KiB, limitBody } from "../../middleware/body-limit";

// Building blocks every route declaration uses, so each route file is one createRoute + its handler.

const toValidationIssues = (error: z.ZodError): ValidationIssue[] =>
  error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));

const invalid = (errors: ValidationIssue[]) =>
  new AppError("validation_failed", "The request has invalid fields.", { extra: { errors } });

/** What the validator of `target` read (Hono caches the parsed body, so this reads nothing twice). */
async function rawInput(c: Context<AppEnv>, target: string): Promise<unknown> {
  if (target === "json") return c.req.json().catch(() => undefined);
  if (target === "query") return c.req.query();
  if (target === "param") return c.req.param();
  return undefined;
}

/**
 * The one gate every request body, query and path goes through: the same 422 problem+json for
 * every failure, never the validator's raw output. Ill-formed text (a lone UTF-16 surrogate, in
 * any value or key, known field or not) is refused first: Neon would refuse the whole query.
 */
const validationHook: Hook<unknown, AppEnv, string, Promise<void>> = async (result, c) => {
  const illFormed = loneSurrogateIssues(await rawInput(c, result.target));
  if (illFormed.length > 0) throw invalid(illFormed);
  if (!result.success) throw invalid(toValidationIssues(result.error));
};

export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** A JSON body: limited to 16 KiB, malformed JSON is 400, invalid fields 422. */
export const JSON_BODY_ERRORS = [
  "malformed_json",
  "payload_too_large",
  "validation_failed",
] as const satisfies ErrorCode[];
export const limitJsonBody = limitBody(16 * KiB);

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

const REQUEST_ID = { "X-Request-Id": { $ref: "#/components/headers/RequestId" } };

export const jsonResponse = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  headers: REQUEST_ID,
  content: { "application/json": { schema } },
});

/** ISO 8601 UTC, whole seconds, as every time in the API. */
export const isoTime = z.iso.datetime().describe("ISO 8601 UTC, whole seconds: 2026-12-01T00:00:00Z");
