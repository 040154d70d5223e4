import type { Child } from "hono/jsx";
import { toIsoSec } from "../../../lib/clock";
import { auditTrailOf, licensePage } from "./console-urls";
import type { Lang, Words } from "./i18n";

/** What every console page knows about its request. */
export interface PageContext {
  lang: Lang;
  t: Words;
  actor: string;
  /** The current section, marked in the navigation. */
  section: "search" | "attention" | "events" | "audit" | "license";
}

/** Whole minutes in UTC: what support reads on the phone to a buyer. */
export const when = (d: Date | null | undefined) => (d ? `${toIsoSec(d).slice(0, 16).replace("T", " ")} UTC` : "—");

const SECTIONS = [
  ["search", "/console"],
  ["attention", "/console/attention"],
  ["events", "/console/events"],
  ["audit", "/console/audit"],
] as const;

/** The page shell: skip link, banner with the navigation, main, footer with who is signed in. No script. */
export function Layout(props: { page: PageContext; title: string; children: Child }) {
  const { t, lang, actor, section } = props.page;
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${t.title}`}</title>
        <link rel="stylesheet" href="/console/console.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <header>
          <p class="brand">{t.title}</p>
          <nav aria-label={t.nav}>
            <ul>
              {SECTIONS.map(([key, href]) => (
                <li>
                  <a href={href} aria-current={section === key ? "page" : undefined}>
                    {t[key]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer>
          <p>
            {t.signedInAs} <strong data-testid="actor">{actor}</strong>
          </p>
        </footer>
      </body>
    </html>
  );
}

/** One action: a plain form posted to `…/<action>`, with its required reason. */
export function ActionForm(props: { t: Words; action: string; label: string; danger?: boolean; id: string }) {
  return (
    <form method="post" action={props.action} class="action">
      <label for={props.id}>{props.t.reasonLabel}</label>
      <input id={props.id} name="reason" type="text" required maxlength={500} autocomplete="off" />
      <button type="submit" class={props.danger ? "danger" : undefined}>
        {props.label}
      </button>
    </form>
  );
}

/** A license id as a link to its page (`label` when the text is more than the id, e.g. a machine's target); none: "—". */
export function LicenseLink(props: { id: string | null; label?: string }) {
  return props.id ? <a href={licensePage(props.id)}>{props.label ?? props.id}</a> : <>—</>;
}

/** A Stripe event id as a link to its audit trail (where replays of it are). */
export function EventLink(props: { id: string }) {
  return (
    <a href={auditTrailOf(props.id)}>
      <code>{props.id}</code>
    </a>
  );
}

/** What went wrong with an event, as the log records it: its code, then its message. */
export const eventError = (e: { errorCode: string | null; lastError: string | null }) =>
  [e.errorCode, e.lastError].filter(Boolean).join(": ") || "—";

/** A table with a caption (its name for screen readers) or a line saying there is nothing. */
export function Table(props: { caption: string; head: string[]; rows: Child[][]; empty: string; id?: string }) {
  if (props.rows.length === 0)
    return (
      <section aria-labelledby={props.id}>
        <h2 id={props.id}>{props.caption}</h2>
        <p class="empty">{props.empty}</p>
      </section>
    );
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.caption}</h2>
      <table>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((cells) => (
            <tr>
              {cells.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
