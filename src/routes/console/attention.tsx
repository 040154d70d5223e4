import { createRoute } from "@hono/zod-openapi";
import { readAttentionList } from "../../services/console/read-console-pages";
import { CONSOLE_PAGE, createConsoleRouter, htmlPage, pageContext } from "../_shared/console/console-router";
import { ActionForm, EventLink, eventError, Layout, LicenseLink, Table, when } from "../_shared/console/layout";

const attentionRoute = createRoute({
  ...CONSOLE_PAGE,
  path: "/console/attention",
  operationId: "consoleAttention",
  responses: { 200: { description: "What needs a person now (HTML)" } },
});

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
          <EventLink id={e.id} />,
          String(e.attempts),
          eventError(e),
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
          <LicenseLink id={e.licenseId} />,
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
          <LicenseLink id={d.licenseId} />,
          <code>{d.paymentIntentId}</code>,
          d.status ?? "—",
        ])}
      />
      <Table
        id="past-due"
        caption={t.pastDue}
        head={[t.license, t.subscription]}
        empty={t.noEntries}
        rows={list.pastDue.map((s) => [<LicenseLink id={s.licenseId} />, <code>{s.stripeSubscriptionId}</code>])}
      />
      <Table
        id="suspended"
        caption={t.suspended}
        head={[t.license, t.email, t.product, t.tier, t.expires]}
        empty={t.noEntries}
        rows={list.suspended.map((l) => [
          <LicenseLink id={l.id} />,
          l.email ?? t.erased,
          l.product,
          l.tier,
          when(l.expiresAt),
        ])}
      />
    </Layout>,
  );
});
