import type { LicenseWithMachines } from "../../db/queries/account-licenses";
import { PRODUCTS } from "../../domain/products";

const TIER = { base: "Base", premium: "Premium" } as const;
const STATUS = {
  fr: {
    active: "active",
    suspended: "suspendue (litige de paiement en cours)",
    expired: "expirée",
    revoked: "révoquée",
  },
  en: { active: "active", suspended: "suspended (payment dispute open)", expired: "expired", revoked: "revoked" },
} as const;
const day = (d: Date) => d.toISOString().slice(0, 10);

function describe(l: LicenseWithMachines, lang: "fr" | "en"): string[] {
  const fr = lang === "fr";
  const name = PRODUCTS[l.product].name;
  const until = fr ? `valide jusqu'au ${day(l.expiresAt)}` : `valid until ${day(l.expiresAt)}`;
  const machines =
    l.machines.length === 0
      ? [fr ? "  Aucun ordinateur activé." : "  No computer activated."]
      : [
          fr ? "  Ordinateurs activés :" : "  Activated computers:",
          ...l.machines.map((m) => {
            const label = [m.machineName ?? m.machineId, m.platform].filter(Boolean).join(", ");
            return fr ? `  - ${label} (depuis le ${day(m.activatedAt)})` : `  - ${label} (since ${day(m.activatedAt)})`;
          }),
        ];
  return [`* ${name} ${TIER[l.tier]}, ${STATUS[lang][l.status]}, ${until}`, `  ${l.key ?? "-"}`, ...machines, ""];
}

/** Plain text, French first then English, like the license email: every license of the address, with its newest key. */
export function licenseRecoveryEmail(found: LicenseWithMachines[]): { subject: string; text: string } {
  const subject = "Vos clés de licence Maximus / Your Maximus license keys";
  const text = [
    "Bonjour,",
    "",
    "Vous avez demandé les clés de licence achetées avec cette adresse. Les voici :",
    "",
    ...found.flatMap((l) => describe(l, "fr")),
    "Pour libérer un ordinateur que vous n'utilisez plus, connectez-vous à votre compte dans l'application.",
    "Si vous n'avez rien demandé, ignorez ce courriel : personne d'autre ne l'a reçu.",
    "",
    "---",
    "",
    "Hello,",
    "",
    "You asked for the license keys bought with this address. Here they are:",
    "",
    ...found.flatMap((l) => describe(l, "en")),
    "To free a computer you no longer use, sign in to your account in the app.",
    "If you did not ask for this, ignore this email: no one else received it.",
  ].join("\n");
  return { subject, text };
}
