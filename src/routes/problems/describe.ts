import { createRoute, z } from "@hono/zod-openapi";
import { AppError, codeOfProblemSlug, ERROR_CODES, type ErrorCode, problemType } from "../../errors";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { createRouter } from "../_shared/declare";
import { GATES } from "../_shared/gates";

const CODES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

const ProblemTypeDescription = namedSchema(
  "ProblemTypeDescription",
  z.object({
    type: z.string(),
    code: z.enum(CODES),
    title: z.string(),
    status: z.number().int(),
    action: z.string().describe("what the caller can do about it"),
  }),
);

const describeProblemRoute = createRoute({
  method: "get",
  path: "/problems/{code}",
  operationId: "describeProblem",
  tags: ["Service"],
  summary: "What a problem's `type` URL names: title, status and what to do",
  description:
    "Every problem's `type` is `https://api.maximus.example/problems/<code with hyphens>`; this answers it. " +
    "HTML, or JSON when `Accept` names `application/json`. An unknown code: `404 not_found`.",
  ...GATES.public.route,
  request: {
    params: z.object({
      code: z.string().openapi({ param: { description: "The code with hyphens (`invalid-token`), or as is" } }),
    }),
  },
  responses: {
    200: {
      description: "The code's description.",
      headers: { "X-Request-Id": { $ref: "#/components/headers/RequestId" } },
      content: {
        "text/html": { schema: z.string() },
        "application/json": { schema: ProblemTypeDescription },
      },
    },
    ...problemResponses(...GATES.public.errors, "not_found"),
  },
});

const HEADERS = {
  "Content-Security-Policy": "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Cache-Control": "public, max-age=3600",
  Vary: "Accept",
};

// Our own constants only, but escaped all the same; `code` spans as in Markdown.
const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch] ?? ch);
const inline = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, "<code>$1</code>");

function renderPage(code: ErrorCode): string {
  const { status, title, action } = ERROR_CODES[code];
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} (${code}) · maximus-api</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>HTTP ${status}, <code>code: "${code}"</code></p>
<h2>What to do</h2>
<p>${inline(action)}</p>
<p><small>Every maximus-api error is <code>application/problem+json</code> with this page as its <code>type</code>.
Quote its <code>request_id</code> when you contact support. All operations: <a href="/docs">/docs</a>.</small></p>
</body>
</html>
`;
}

/** The page behind every problem's `type` URL, so the link in each error resolves. */
export const describeProblem = createRouter().openapi(describeProblemRoute, (c) => {
  const { code: slug } = c.req.valid("param");
  const code = codeOfProblemSlug(slug);
  if (!code) throw new AppError("not_found", "No such problem type.");
  if (/application\/json/i.test(c.req.header("Accept") ?? "")) {
    const { status, title, action } = ERROR_CODES[code];
    return c.json({ type: problemType(code), code, title, status, action }, 200, HEADERS);
  }
  return c.html(renderPage(code), 200, HEADERS);
});
