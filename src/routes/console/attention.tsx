import { createRoute } from "@hono/zod-openapi";
import type { Child } from "hono/jsx";
import { requireAccess } from "../../middleware/access-auth";
import { readAttentionList } from "../../services/console/read-console-pages";
import { createConsoleRouter, htmlPage, pageContext } from "../_shared/console/console-router";
import { ActionForm, Layout, Table, when } from "../_shared/console/layout";

const attentionRoute = createRoute({
  method: "get",
  path: "/console/attention",
  operationId: "consoleAttention",
  hide: true,
  middleware: [requireAccess] as const,
  responses: { 200: { description: "What needs a person now (HTML)" } },
});

const licenseLink = (id: string | null): Child =>
  id ? <a href={`/console/licenses/${encodeURIComponent(id)}`}>{id}</a> : "—";

/** Failed events (each with its replay), undelivered emails, open disputes, past-due subscriptions, suspended licenses. */
export const consoleAttention = createConsoleRouter().openapi(attentionRoute, async (c) => {
  const page = pageContext(c, "attention");
  const { t } = page;
  const list = await readAttentionList(c.get("ctx"));
  return htmlPage(
    c,
    <Layout page={page} title={t.attention}>
      <Table
        id="failed-events"
        caption={t.failedEvents}
        head={[t.at, t.type, "id", t.attempts, t.lastError, t.actions]}
        empty={t.noEntries}
        rows={list.failedEvents.map((e, i) => [
          when(e.receivedAt),
          e.type,
          <a href={`/console/audit?target=${encodeURIComponent(e.id)}`}>
            <code>{e.id}</code>
          </a>,
          String(e.attempts),
          [e.errorCode, e.lastError].filter(Boolean).join(": ") || "—",
          <ActionForm
            t={t}
            id={`replay-${i}`}
            action={`/console/events/${encodeURIComponent(e.id)}/replay`}
            label={t.replay}
          />,
        ])}
      />
      <Table
        id="undelivered-emails"
        caption={t.undeliveredEmails}
        head={[t.license, t.kind, t.attempts, t.lastError, t.created]}
        empty={t.noEntries}
        rows={list.undeliveredEmails.map((e) => [
          licenseLink(e.licenseId),
          e.kind,
          String(e.attempts),
          e.lastError ?? "—",
          when(e.createdAt),
        ])}
      />
      <Table
        id="open-disputes"
        caption={t.openDisputes}
        head={[t.license, t.paymentIntent, t.status]}
        empty={t.noEntries}
        rows={list.openDisputes.map((d) => [
          licenseLink(d.licenseId),
          <code>{d.paymentIntentId}</code>,
          d.status ?? "—",
        ])}
      />
      <Table
        id="past-due"
        caption={t.pastDue}
        head={[t.license, t.subscription]}
        empty={t.noEntries}
        rows={list.pastDue.map((s) => [licenseLink(s.licenseId), <code>{s.stripeSubscriptionId}</code>])}
      />
      <Table
        id="suspended"
        caption={t.suspended}
        head={[t.license, t.email, t.product, t.tier, t.expires]}
        empty={t.noEntries}
        rows={list.suspended.map((l) => [licenseLink(l.id), l.email ?? t.erased, l.product, l.tier, when(l.expiresAt)])}
      />
    </Layout>,
  );
});
