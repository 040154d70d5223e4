// Reads .dev.vars (dotenv syntax, as wrangler does) without printing anything from it.
import { existsSync, readFileSync } from "node:fs";

function parseDotenv(text) {
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const m = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/);
    if (!m) continue;
    let value = m[2].trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n");
    } else {
      value = value.replace(/\s+#.*$/, "");
    }
    vars[m[1]] = value;
  }
  return vars;
}

export function readDevVars(path = ".dev.vars") {
  return existsSync(path) ? parseDotenv(readFileSync(path, "utf8")) : {};
}

const firstOfList = (list) =>
  (list ?? "")
    .split(",")
    .map((s) => s.trim())
    .find(Boolean);
// An INTERNAL_API_KEYS entry is `name:secret` or a bare secret (src/config.ts, KEY_NAME).
const KEY_NAME = /^([A-Za-z0-9][A-Za-z0-9._@-]{0,63}):/;

/**
 * What a local client of `npm run dev` signs and authenticates with: from .dev.vars (else its
 * example), the first webhook secret, and the first internal key's bearer secret and name. An entry
 * that is not set is undefined; the caller says what to do about it.
 */
export function devClientSecrets() {
  const vars = existsSync(".dev.vars") ? readDevVars(".dev.vars") : readDevVars(".dev.vars.example");
  const key = firstOfList(vars.INTERNAL_API_KEYS);
  return {
    webhookSecret: firstOfList(vars.STRIPE_WEBHOOK_SECRET),
    internalKey: key?.replace(KEY_NAME, ""),
    internalKeyName: key ? (KEY_NAME.exec(key)?.[1] ?? "unnamed-1") : undefined,
  };
}
