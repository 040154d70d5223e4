import { z } from "@hono/zod-openapi";
import { ERROR_CODES, type ErrorCode } from "../errors";
import { namedSchema } from "./named-schemas";

// The problem responses a route declares (OpenAPI), built from errors.ts's code list.

const CODES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const ProblemSchema = namedSchema(
  "Problem",
  z.object({
    type: z.string().describe("https://api.maximus.example/problems/<code with hyphens>: GET /problems/{code} here"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(CODES),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("only with `validation_failed`"),
    request_id: z.string().describe("the response's `X-Request-Id`: quote it to support"),
  }),
);

// The codes whose answers carry these headers (middleware/internal-auth.ts, rate-limit.ts, errors.ts toFailure).
const CHALLENGED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["unauthorized", "invalid_token"]);
const RETRY_AFTER: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "rate_limited",
  "deactivation_limit_reached",
  "unavailable",
  "not_ready",
]);
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

type StatusOf<C extends ErrorCode> = (typeof ERROR_CODES)[C]["status"];
type ProblemResponse = {
  description: string;
  headers: Record<string, { $ref: string }>;
  content: { "application/problem+json": { schema: z.ZodType } };
};

// Any request may meet these: a bug, or a deployment whose configuration is refused (config.ts).
const ALWAYS = ["internal_error", "misconfigured"] as const;

/** Spread into a route's `responses`: one problem+json response per status, naming its codes (and always 500, 503 misconfigured). */
export function problemResponses<C extends ErrorCode>(
  ...codes: C[]
): { [S in StatusOf<C | (typeof ALWAYS)[number]>]: ProblemResponse } {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set<ErrorCode>([...codes, ...ALWAYS])) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<number, ProblemResponse> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Record<string, { $ref: string }> = { "X-Request-Id": headerRef("RequestId") };
    if (list.some((c) => CHALLENGED.has(c))) headers["WWW-Authenticate"] = headerRef("WwwAuthenticate");
    if (list.some((c) => RETRY_AFTER.has(c))) headers["Retry-After"] = headerRef("RetryAfter");
    const schema = z.intersection(ProblemSchema, z.object({ code: z.enum(list as [ErrorCode, ...ErrorCode[]]) }));
    responses[status] = {
      description: list.map((c) => `\`${c}\``).join(", "),
      headers,
      content: { "application/problem+json": { schema } },
    };
  }
  return responses as { [S in StatusOf<C | (typeof ALWAYS)[number]>]: ProblemResponse };
}
