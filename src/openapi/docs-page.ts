import { ERROR_CODES, type ErrorCode } from "../errors";

// The operation table is plain HTML, useful without JavaScript; the interactive reference below it
// (Swagger UI) is served by this Worker too, so the page needs no network beyond this origin.

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);
// Summaries use `code` spans, as in Markdown.
const inline = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, "<code>$1</code>");

const AUTH_LABEL: Record<string, string> = {
  internalApiKey: "internal API key",
  logtoBearer: "Logto token",
  stripeSignature: "Stripe signature",
};

interface DocumentedOperation {
  operationId: string;
  summary: string;
  description?: string;
  security?: Record<string, unknown>[];
  responses: Record<
    string,
    { content?: Record<string, { schema?: { allOf?: { properties?: { code?: { enum?: ErrorCode[] } } }[] } }> }
  >;
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
        .flatMap(
          (s) =>
            op.responses[s]?.content?.["application/problem+json"]?.schema?.allOf?.[1]?.properties?.code?.enum ?? [],
        )
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

/** `urls.assets` is where the Worker serves Swagger UI's files (routes/service/docs.ts, openapi/docs-assets.ts). */
export function renderDocsPage(document: Record<string, unknown>, urls: { document: string; assets: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>maximus-api reference</title>
<link rel="stylesheet" href="${urls.assets}swagger-ui.css">
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d1d1f}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
code{font-size:.9em}small{color:#555}
</style>
</head>
<body>
<h1>maximus-api</h1>
<p>Licenses and subscriptions for Maximus's desktop apps. Machine-readable: <a href="${urls.document}">${urls.document}</a> (OpenAPI 3.1).
Every error is <code>application/problem+json</code> with a stable <code>code</code>; every response carries <code>X-Request-Id</code>.</p>
<h2>Operations</h2>
<table>
<thead><tr><th>method</th><th>path</th><th>what</th><th>auth</th><th>success</th><th>errors</th></tr></thead>
<tbody>
${operationRows(document)}
</tbody>
</table>
<h2>Interactive reference</h2>
<p><small>With JavaScript on: try each operation against this server (served from here, no other network).</small></p>
<div id="swagger-ui"></div>
<script src="${urls.assets}swagger-ui-bundle.js"></script>
<script src="${urls.assets}start.js"></script>
</body>
</html>
`;
}
