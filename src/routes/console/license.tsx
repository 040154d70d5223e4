import { createRoute, z } from "@hono/zod-openapi";
import { type LicenseDossier, readLicenseDossier } from "../../services/console/read-console-pages";
import { CONSOLE_PAGE, createConsoleRouter, htmlPage, pageContext } from "../_shared/console/console-router";
import { licensePage } from "../_shared/console/console-urls";
import type { Words } from "../_shared/console/i18n";
import { ActionForm, Layout, Table, when } from "../_shared/console/layout";

const licenseRoute = createRoute({
  ...CONSOLE_PAGE,
  path: "/console/licenses/{id}",
  operationId: "consoleLicense",
  request: { params: z.object({ id: z.string().max(200) }) },
  responses: { 200: { description: "One license: standing, keys, machines, money, emails, events, audit (HTML)" } },
});

/** A license key is the buyer's credential: the console shows enough to match it, never all of it. */
const keyStart = (key: string) => `${key.slice(0, 12)}…`;

/** The license page: everything support needs on one screen (one round trip), and the actions. */
export const consoleLicense = createConsoleRouter().openapi(licenseRoute, async (c) => {
  const page = pageContext(c, "license");
  const { t } = page;
  const dossier = await readLicenseDossier(c.get("ctx"), { id: c.req.valid("param").id });
  const { license } = dossier;
  const base = licensePage(license.id);
  return htmlPage(
    c,
    <Layout page={page} title={`${t.license} ${license.id}`}>
      <Standing t={t} dossier={dossier} />
      <Table
        id="keys"
        caption={t.keys}
        head={["jti", t.keyStart, t.tier, t.issued, t.expires]}
        empty={t.noEntries}
        rows={dossier.tokens.map((k) => [
          k.jti,
          <code>{keyStart(k.key)}</code>,
          k.tier,
          when(k.issuedAt),
          when(k.expiresAt),
        ])}
      />
      <Table
        id="machines"
        caption={`${t.machines} (${dossier.machines.length}/${dossier.seats})`}
        head={[t.machine, t.name, t.platform, t.activated, t.lastSeen, t.bound, t.actions]}
        empty={t.noMachines}
        rows={dossier.machines.map((m, i) => [
          <code>{m.machineId}</code>,
          m.machineName ?? "—",
          m.platform ?? "—",
          when(m.activatedAt),
          when(m.lastSeenAt),
          m.jkt ? t.bound_yes : "—",
          <ActionForm
            t={t}
            id={`free-${i}`}
            action={`${base}/machines/${encodeURIComponent(m.machineId)}/free`}
            label={t.free}
          />,
        ])}
      />
      <p id="deactivations">
        {t.deactivationsLeft}: <strong>{`${dossier.deactivations.left}/${dossier.deactivations.limit}`}</strong>
        {dossier.deactivations.nextFreesAt ? ` (${t.nextFrees} ${when(dossier.deactivations.nextFreesAt)})` : ""}
      </p>
      <Table
        id="payments"
        caption={t.payments}
        head={[t.paymentIntent, t.charge, t.refunded, t.dispute, t.created]}
        empty={t.noEntries}
        rows={dossier.payments.map((p) => [
          <code>{p.paymentIntentId}</code>,
          p.chargeId ?? "—",
          p.fullyRefundedAt ? when(p.fullyRefundedAt) : p.amountRefunded ? String(p.amountRefunded) : t.none,
          p.disputeStatus ?? t.none,
          when(p.createdAt),
        ])}
      />
      <Table
        id="emails"
        caption={t.emails}
        head={[t.kind, t.sent, t.attempts, t.lastError, t.created]}
        empty={t.noEntries}
        rows={dossier.emails.map((e) => [
          e.kind,
          e.sentAt ? when(e.sentAt) : t.notSent,
          String(e.attempts),
          e.lastError ?? "—",
          when(e.createdAt),
        ])}
      />
      <Table
        id="events"
        caption={t.stripeEvents}
        head={[t.at, t.type, t.status, t.attempts, t.lastError]}
        empty={t.noEntries}
        rows={dossier.events.map((e) => [
          when(new Date(e.createdSec * 1000)),
          <a href={`/console/events?type=${encodeURIComponent(e.type)}`}>{e.type}</a>,
          e.status,
          String(e.attempts),
          e.errorCode ?? "—",
        ])}
      />
      <Table
        id="audit"
        caption={t.auditEntries}
        head={[t.at, t.actor, t.action, t.target, t.reason]}
        empty={t.noEntries}
        rows={dossier.audit.map((a) => [when(a.at), a.actor, a.action, a.target, a.reason ?? "—"])}
      />
      <Actions t={t} dossier={dossier} base={base} />
    </Layout>,
  );
});

function Standing(props: { t: Words; dossier: LicenseDossier }) {
  const { t, dossier } = props;
  const { license, subscription } = dossier;
  return (
    <dl id="standing">
      <dt>{t.standing}</dt>
      <dd>
        <strong data-testid="standing">{license.status}</strong>
        {license.revokeReason ? ` (${t.why}: ${license.revokeReason})` : ""}
      </dd>
      <dt>{t.email}</dt>
      <dd>{license.email ?? t.erased}</dd>
      <dt>{t.product}</dt>
      <dd>{`${license.product} · ${license.tier}`}</dd>
      <dt>{t.expires}</dt>
      <dd>{when(license.expiresAt)}</dd>
      <dt>{t.created}</dt>
      <dd>{when(license.createdAt)}</dd>
      <dt>{t.customer}</dt>
      <dd>{dossier.stripeCustomerId ?? "—"}</dd>
      <dt>{t.subscription}</dt>
      <dd>
        {subscription
          ? `${subscription.stripeSubscriptionId} · ${subscription.status} · ${t.periodEnds} ${when(subscription.currentPeriodEnd)}${subscription.cancelAtPeriodEnd ? ` · ${t.cancels}` : ""}`
          : t.none}
      </dd>
    </dl>
  );
}

/** Only the actions that can do something now: revoking a revoked license or reinstating an active one cannot. */
function Actions(props: { t: Words; dossier: LicenseDossier; base: string }) {
  const { t, dossier, base } = props;
  const { status, email } = dossier.license;
  return (
    <section aria-labelledby="actions">
      <h2 id="actions">{t.actions}</h2>
      {status === "active" ? <ActionForm t={t} id="revoke" action={`${base}/revoke`} label={t.revoke} danger /> : null}
      {status === "revoked" || status === "suspended" ? (
        <ActionForm t={t} id="reinstate" action={`${base}/reinstate`} label={t.reinstate} />
      ) : null}
      <ActionForm t={t} id="reset-deactivations" action={`${base}/reset-deactivations`} label={t.resetDeactivations} />
      {email && dossier.tokens.length > 0 ? (
        <ActionForm t={t} id="resend-email" action={`${base}/resend-email`} label={t.resendEmail} />
      ) : null}
    </section>
  );
}
