import { createRoute, z } from "@hono/zod-openapi";
import { searchForLicenses } from "../../services/console/read-console-pages";
import { CONSOLE_PAGE, createConsoleRouter, htmlPage, pageContext } from "../_shared/console/console-router";
import { Layout, LicenseLink, Table, when } from "../_shared/console/layout";

const searchRoute = createRoute({
  ...CONSOLE_PAGE,
  path: "/console",
  operationId: "consoleSearch",
  request: { query: z.object({ q: z.string().max(500).optional() }) },
  responses: { 200: { description: "The search page (HTML)" } },
});

export const consoleSearch = createConsoleRouter().openapi(searchRoute, async (c) => {
  const page = pageContext(c, "search");
  const { t } = page;
  const q = c.req.valid("query").q?.trim() ?? "";
  const found = q ? await searchForLicenses(c.get("ctx"), { q }) : [];
  return htmlPage(
    c,
    <Layout page={page} title={t.search}>
      <search>
        <form method="get" action="/console">
          <label for="q">{t.searchLabel}</label>
          <input id="q" name="q" type="search" value={q} aria-describedby="q-hint" />
          <button type="submit">{t.searchButton}</button>
          <p id="q-hint">{t.searchHint}</p>
        </form>
      </search>
      {q ? (
        <Table
          id="results"
          caption={t.results}
          head={[t.license, t.email, t.product, t.tier, t.standing, t.expires]}
          empty={t.noResults}
          rows={found.map((l) => [<LicenseLink id={l.id} />, l.email, l.product, l.tier, l.status, when(l.expiresAt)])}
        />
      ) : null}
      {q.includes("@") && found.length > 0 ? (
        <section aria-labelledby="erase">
          <h2 id="erase">{t.erase}</h2>
          <p>{t.eraseHint}</p>
          <form method="post" action="/console/customers/erase" class="action">
            <input type="hidden" name="email" value={q} />
            <label for="erase-reason">{t.reasonLabel}</label>
            <input id="erase-reason" name="reason" type="text" required maxlength={500} autocomplete="off" />
            <button type="submit" class="danger">
              {t.erase}
            </button>
          </form>
        </section>
      ) : null}
    </Layout>,
  );
});
