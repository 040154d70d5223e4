const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Prefixed random ids for our rows (`lic_…`): 20 base-36 chars ≈ 103 bits. */
export function newId(prefix: "lic" | "cst" | "sbs" | "act" | "dea" | "eml" | "jti" | "rcv" | "aud"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let out = "";
  for (const b of bytes) out += ALPHABET[b % 36];
  return `${prefix}_${out}`;
}
