// K3: every line the worker and the tests log, in every test file, is checked at the end of the
// file: no configured secret, no private signing key, no JWT (license keys, leases, Logto tokens),
// no Stripe signature, and no personal data (an email address, or a person's or machine's name the
// tests and the Stripe fixtures use) may appear. Wrapping console (not vi.spyOn) survives vi.restoreAllMocks.
import { env } from "cloudflare:workers";

const captured: string[] = [];
let installed = false;

export function captureLogs() {
  if (installed) return;
  installed = true;
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      captured.push(args.map((a) => (typeof a === "string" ? a : safeStringify(a))).join(" "));
      original(...args);
    };
  }
}

const safeStringify = (v: unknown) => {
  try {
    return v instanceof Error ? `${v.name}: ${v.message}\n${v.stack ?? ""}` : (JSON.stringify(v) ?? String(v));
  } catch {
    return String(v);
  }
};

/** Values that must never be logged, from the worker's own bindings. */
function forbiddenValues(): string[] {
  const list = (v: string | undefined) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length >= 8);
  const signingKeys = JSON.parse(env.LICENSE_SIGNING_KEYS) as { d?: string }[];
  return [
    ...list(env.INTERNAL_API_KEYS),
    ...list(env.STRIPE_WEBHOOK_SECRET),
    env.STRIPE_SECRET_KEY,
    env.RESEND_API_KEY ?? "",
    ...signingKeys.map((k) => k.d ?? ""),
    "postgres:postgres@", // credentials in DATABASE_URL
  ].filter((v) => v.length >= 8);
}

const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;
const STRIPE_SIGNATURE = /v1=[0-9a-f]{64}/;
const EMAIL_ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
/** Names the tests and Stripe's fixtures put in payloads and machine names (docs/privacy.md: never logged). */
const PERSONAL_NAMES = ["Jenny Rosen", "Tremblay", "Dell de Marc", "Bureau de Léa", "Poste compta"];

export function leakedLines(): string[] {
  const forbidden = forbiddenValues();
  return captured.filter(
    (line) =>
      JWT_SHAPE.test(line) ||
      STRIPE_SIGNATURE.test(line) ||
      EMAIL_ADDRESS.test(line) ||
      PERSONAL_NAMES.some((n) => line.includes(n)) ||
      forbidden.some((f) => line.includes(f)),
  );
}
