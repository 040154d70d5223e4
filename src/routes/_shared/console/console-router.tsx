import type { Context, ErrorHandler } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../../../app-env";
import { AppError } from "../../../errors";
import { requireAccess } from "../../../middleware/access-auth";
import { onError } from "../../../middleware/error-handler";
import type { Actor } from "../../../services/admin/audit";
import { MAX_REASON_LENGTH } from "../acting";
import { createRouter } from "../declare";
import { pickLanguage, WORDS } from "./i18n";
import type { PageContext } from "./layout";

/** No script at all, styles only from us, forms only to us, never framed. */
const CONSOLE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const HTML_HEADERS = {
  "Content-Security-Policy": CONSOLE_CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "Cache-Control": "no-store",
};

export function pageContext(c: Context<AppEnv>, section: PageContext["section"]): PageContext {
  const lang = pickLanguage(c.req.header("Accept-Language"));
  return { lang, t: WORDS[lang], actor: c.get("actor") ?? "", section };
}

export const htmlPage = (c: Context<AppEnv>, page: Child, status: 200 | 401 | 403 | 404 | 422 | 500 | 503 = 200) =>
  c.html(`<!doctype html>${String(page)}`, status, HTML_HEADERS);

/**
 * A browser (Accept: text/html) gets a small page with the same status; anything else the usual
 * problem+json. The JSON answer is built first, so logging stays the one handler's job.
 */
const consoleErrorPage: ErrorHandler<AppEnv> = async (err, c) => {
  const res = await onError(err, c);
  if (!(c.req.header("Accept") ?? "").includes("text/html")) return res;
  const body = (await res.clone().json()) as { title: string; detail: string; code: string };
  const lang = pickLanguage(c.req.header("Accept-Language"));
  const page = (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <title>{`${res.status} ${body.title}`}</title>
        <link rel="stylesheet" href="/console/console.css" />
      </head>
      <body>
        <main>
          <h1>{body.title}</h1>
          <p>{body.detail}</p>
          <p>
            <code>{body.code}</code>
          </p>
          <p>
            <a href="/console">{WORDS[lang].back}</a>
          </p>
        </main>
      </body>
    </html>
  );
  return new Response(`<!doctype html>${String(page)}`, {
    status: res.status,
    headers: { ...Object.fromEntries(res.headers), ...HTML_HEADERS, "content-type": "text/html; charset=UTF-8" },
  });
};

/**
 * What every console page declares: a GET for a signed-in person (Access), with no place in /openapi.json
 * (HTML, not the API). Each page adds its path, operationId, query or params and 200 (form posts: CONSOLE_FORM).
 */
export const CONSOLE_PAGE = { method: "get" as const, hide: true, middleware: [requireAccess] };

export function createConsoleRouter() {
  const router = createRouter();
  router.onError(consoleErrorPage);
  return router;
}

/** The form's `reason`: required in the console (422, nothing changed, when missing). */
export async function formReason(c: Context<AppEnv>): Promise<string> {
  const form = await c.req.parseBody();
  const reason = typeof form.reason === "string" ? form.reason.trim() : "";
  if (!reason || reason.length > MAX_REASON_LENGTH)
    throw new AppError("validation_failed", "A reason is required (at most 500 characters).", {
      extra: { errors: [{ path: "reason", message: "required" }] },
    });
  return reason;
}

export const consoleActor = (c: Context<AppEnv>, reason: string): Actor => ({
  actor: c.get("actor") ?? "",
  reason,
  requestId: c.get("requestId"),
});
