// What /docs loads, all from this origin: Swagger UI's files (Workers static assets, see
// wrangler.toml [assets]) and our small start script. The CSP allows nothing else.
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // Swagger UI sets style attributes at runtime; scripts stay 'self' only.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const DOCS_HEADERS = {
  "Content-Security-Policy": DOCS_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "public, max-age=300",
} as const;

/** Swagger UI files the Worker serves from ASSETS, at /docs/assets/<name>. */
export const SWAGGER_UI_FILES = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
} as const;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
export const docsStartScript = (documentUrl: string) => `SwaggerUIBundle({
  url: ${JSON.stringify(documentUrl)},
  dom_id: "#swagger-ui",
  validatorUrl: null,
  deepLinking: true,
});
`;
