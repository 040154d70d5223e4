import { createRoute, z } from "@hono/zod-openapi";
import { readAuditTrail } from "../../services/console/read-console-pages";
import { CONSOLE_PAGE, createConsoleRouter, htmlPage, pageContext } from "../_shared/console/console-router";
import { Layout, LicenseLink, Table, when } from "../_shared/console/layout";

const auditRoute = createRoute({
  ...CONSOLE_PAGE,
  path: "/console/audit",
  operationId: "consoleAudit",
  request: { query: z.object({ target: z.string().max(300).optional() }) },
  responses: { 200: { description: "The audit log, newest first, optionally for one target (HTML)" } },
});

/** Who did what to which id, and why: operators' named keys and console sign-ins alike. */
export const consoleAudit = createConsoleRouter().openapi(auditRoute, async (c) => {
  const page = pageContext(c, "audit");
  const { t } = page;
  const target = c.req.valid("query").target?.trim() || undefined;
  const entries = await readAuditTrail(c.get("ctx"), { target });
  return htmlPage(
    c,
    <Layout page={page} title={t.audit}>
      <form method="get" action="/console/audit" class="filters">
        <label for="target">{t.filterTarget}</label>
        <input id="target" name="target" type="text" value={target ?? ""} />
        <button type="submit">{t.filter}</button>
      </form>
      <Table
        id="entries"
        caption={t.auditEntries}
        head={[t.at, t.actor, t.action, t.target, t.reason, t.requestId]}
        empty={t.noEntries}
        rows={entries.map((a) => [
          when(a.at),
          a.actor,
          a.action,
          a.target.startsWith("lic_") ? (
            <LicenseLink id={a.target.split("/")[0] ?? a.target} label={a.target} />
          ) : (
            a.target
          ),
          a.reason ?? "—",
          a.requestId ?? "—",
        ])}
      />
    </Layout>,
  );
});
