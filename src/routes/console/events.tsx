import { createRoute, z } from "@hono/zod-openapi";
import { EVENT_STATUSES } from "../../domain/stripe-event-types";
import { readEventLog } from "../../services/console/read-console-pages";
import { CONSOLE_PAGE, createConsoleRouter, htmlPage, pageContext } from "../_shared/console/console-router";
import { EventLink, eventError, Layout, Table, when } from "../_shared/console/layout";

/** A form's empty field means "any": the GET form sends every field, filled or not. */
const blankAsAbsent = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date, YYYY-MM-DD");

const eventsRoute = createRoute({
  ...CONSOLE_PAGE,
  path: "/console/events",
  operationId: "consoleEvents",
  request: {
    query: z.object({
      type: blankAsAbsent(z.string().max(100)),
      status: blankAsAbsent(z.enum(EVENT_STATUSES)),
      from: blankAsAbsent(day),
      to: blankAsAbsent(day),
    }),
  },
  responses: { 200: { description: "Stripe events, newest first, filtered by type, status and day (HTML)" } },
});

const DAY_MS = 86_400_000;

/** The event log: `from` and `to` are whole UTC days, both included. */
export const consoleEvents = createConsoleRouter().openapi(eventsRoute, async (c) => {
  const page = pageContext(c, "events");
  const { t } = page;
  const q = c.req.valid("query");
  const events = await readEventLog(c.get("ctx"), {
    type: q.type,
    status: q.status,
    from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS) : undefined,
  });
  return htmlPage(
    c,
    <Layout page={page} title={t.events}>
      <form method="get" action="/console/events" class="filters">
        <label for="type">{t.type}</label>
        <input id="type" name="type" type="text" value={q.type ?? ""} placeholder="invoice.paid" />
        <label for="status">{t.status}</label>
        <select id="status" name="status">
          <option value="">{t.any}</option>
          {EVENT_STATUSES.map((s) => (
            <option value={s} selected={q.status === s}>
              {s}
            </option>
          ))}
        </select>
        <label for="from">{t.from}</label>
        <input id="from" name="from" type="date" value={q.from ?? ""} />
        <label for="to">{t.to}</label>
        <input id="to" name="to" type="date" value={q.to ?? ""} />
        <button type="submit">{t.filter}</button>
      </form>
      <Table
        id="events"
        caption={t.stripeEvents}
        head={[t.at, t.type, "id", t.status, t.attempts, t.lastError]}
        empty={t.noEntries}
        rows={events.map((e) => [
          when(new Date(e.createdSec * 1000)),
          e.type,
          <EventLink id={e.id} />,
          e.status,
          String(e.attempts),
          eventError(e),
        ])}
      />
    </Layout>,
  );
});
