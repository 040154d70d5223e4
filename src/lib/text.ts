// Neon's proxy parses request bodies with serde_json, which refuses a lone UTF-16 surrogate: a
// string holding one fails the whole query. These keep every string we store well-formed.

/** Matches an unpaired surrogate only: with the `u` flag a proper pair is one code point. */
const LONE_SURROGATE = /\p{Cs}/u;

export const hasLoneSurrogate = (text: string) => LONE_SURROGATE.test(text);

/**
 * At most `maxUnits` UTF-16 units of `text`, never cutting a surrogate pair in half; any lone
 * surrogate already in it (an error message quoting bad input) becomes U+FFFD.
 */
export function clip(text: string, maxUnits: number): string {
  let cut = text.length > maxUnits ? text.slice(0, maxUnits) : text;
  const last = cut.charCodeAt(cut.length - 1);
  if (cut.length < text.length && last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut.replace(/\p{Cs}/gu, "\uFFFD");
}

/**
 * Every string in parsed input (values and keys, at any depth) whose UTF-16 is ill-formed, by path:
 * Postgres behind Neon refuses such text (the proxy's serde_json rejects the whole query).
 */
export function loneSurrogateIssues(data: unknown, path: string[] = []): { path: string; message: string }[] {
  const at = (p: string[]) => p.join(".") || "(body)";
  if (typeof data === "string")
    return hasLoneSurrogate(data) ? [{ path: at(path), message: "Contains an unpaired UTF-16 surrogate." }] : [];
  if (!data || typeof data !== "object") return [];
  return Object.entries(data).flatMap(([k, v]) =>
    hasLoneSurrogate(k)
      ? [{ path: at(path), message: "Has a key with an unpaired UTF-16 surrogate." }]
      : loneSurrogateIssues(v, [...path, k]),
  );
}
