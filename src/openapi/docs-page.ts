import { ERROR_CODES } from "../errors";
import { errorCodesOf } from "./document";
import { OPERATIONS } from "./operations";

// The operation table is plain HTML, useful without JavaScript; the interactive reference below it
// (Swagger UI) is served by this Worker too, so the page needs no network beyond this origin.

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
// Summaries use `code` spans, as in Markdown.
const inline = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, "<code>$1</code>");

const AUTH_LABEL = { internalApiKey: "internal API key", logtoBearer: "Logto token", stripeSignature: "Stripe signature" } as const;

function operationRows(): string {
  return OPERATIONS.map((op) => {
    const errors = errorCodesOf(op)
      .sort((a, b) => ERROR_CODES[a].status - ERROR_CODES[b].status)
      .map((c) => `${ERROR_CODES[c].status}&nbsp;<code>${c}</code>`)
      .join(", ");
    return `<tr id="${op.operationId}"><td><code>${op.method.toUpperCase()}</code></td><td><code>${escapeHtml(op.path)}</code></td>
<td>${inline(op.summary)}${op.description ? `<br><small>${inline(op.description)}</small>` : ""}</td>
<td>${op.security ? AUTH_LABEL[op.security] : "none"}</td><td>${op.success.status}</td><td><small>${errors}</small></td></tr>`;
  }).join("\n");
}

export function renderDocsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>maximus-api reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d1d1f}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}
code{font-size:.9em}small{color:#555}
</style>
</head>
<body>
<h1>maximus-api</h1>
<p>Licenses and subscriptions for Maximus's desktop apps. Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
Every error is <code>application/problem+json</code> with a stable <code>code</code>; every response carries <code>X-Request-Id</code>.</p>
<h2>Operations</h2>
<table>
<thead><tr><th>method</th><th>path</th><th>what</th><th>auth</th><th>success</th><th>errors</th></tr></thead>
<tbody>
${operationRows()}
</tbody>
</table>
<h2>Interactive reference</h2>
<p><small>With JavaScript on: try each operation against this server (served from here, no other network).</small></p>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/start.js"></script>
</body>
</html>
`;
}
