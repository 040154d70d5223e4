import { ERROR_CODES, type ErrorCode } from "../errors";

// The interactive reference loads in the browser from a CDN, pinned; the operation table above it
// is plain HTML, so the page is useful without JavaScript or network.
const SCALAR = "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.72.1";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
// Summaries use `code` spans, as in Markdown.
const inline = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, "<code>$1</code>");

const AUTH_LABEL: Record<string, string> = { internalApiKey: "internal API key", logtoBearer: "Logto token", stripeSignature: "Stripe signature" };

interface DocumentedOperation {
  operationId: string;
  summary: string;
  description?: string;
  security?: Record<string, unknown>[];
  responses: Record<string, { content?: Record<string, { schema?: { allOf?: { properties?: { code?: { enum?: ErrorCode[] } } }[] } }> }>;
}

/** One row per operation of the generated document: the page and the document cannot disagree. */
function operationRows(document: Record<string, unknown>): string {
  const paths = document.paths as Record<string, Record<string, DocumentedOperation>>;
  return Object.entries(paths)
    .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })))
    .map(({ path, method, op }) => {
      const statuses = Object.keys(op.responses);
      const errors = statuses
        .filter((s) => Number(s) >= 400)
        .flatMap((s) => op.responses[s]!.content?.["application/problem+json"]?.schema?.allOf?.[1]?.properties?.code?.enum ?? [])
        .map((c) => `${ERROR_CODES[c].status}&nbsp;<code>${c}</code>`)
        .join(", ");
      const auth = Object.keys(op.security?.[0] ?? {})[0];
      const success = statuses.find((s) => Number(s) < 400);
      return `<tr id="${op.operationId}"><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td>
<td>${inline(op.summary)}${op.description ? `<br><small>${inline(op.description)}</small>` : ""}</td>
<td>${auth ? AUTH_LABEL[auth] : "none"}</td><td>${success}</td><td><small>${errors}</small></td></tr>`;
    })
    .join("\n");
}

export function renderDocsPage(document: Record<string, unknown>, documentUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>maximus-api reference</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d1d1f}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
code{font-size:.9em}small{color:#555}
</style>
</head>
<body>
<h1>maximus-api</h1>
<p>Licenses and subscriptions for Maximus's desktop apps. Machine-readable: <a href="${documentUrl}">${documentUrl}</a> (OpenAPI 3.1).
Every error is <code>application/problem+json</code> with a stable <code>code</code>; every response carries <code>X-Request-Id</code>.</p>
<h2>Operations</h2>
<table>
<thead><tr><th>method</th><th>path</th><th>what</th><th>auth</th><th>success</th><th>errors</th></tr></thead>
<tbody>
${operationRows(document)}
</tbody>
</table>
<h2>Interactive reference</h2>
<p><small>Loads from a CDN when JavaScript is on.</small></p>
<script id="api-reference" data-url="${documentUrl}"></script>
<script src="${SCALAR}"></script>
</body>
</html>
`;
}
