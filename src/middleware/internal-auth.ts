import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import type { InternalKey } from "../config";
import { AppError } from "../errors";
import { BoundedMap } from "../lib/bounded-map";
import { sha256 } from "../lib/crypto";
import { countAgainstClientIp } from "./rate-limit";

// Longer than any key we issue; anything bigger is refused before hashing.
const MAX_HEADER_LENGTH = 512;
const BEARER = /^Bearer +(\S+)$/i;

// Keyed by the configured key list: one entry per configuration an isolate has seen (a rotation adds one).
const digestCache = new BoundedMap<string, Promise<Uint8Array[]>>(8);

function configuredDigests(keys: InternalKey[]): Promise<Uint8Array[]> {
  const secrets = keys.map((k) => k.secret);
  return digestCache.getOrSet(secrets.join("\n"), () => Promise.all(secrets.map(sha256)));
}

/**
 * The name of the INTERNAL_API_KEYS entry whose secret is `presented`, or null. Both sides are
 * hashed first, so the constant-time compare always sees equal lengths and a key of another length
 * cannot throw; every entry is compared, so the time does not tell which one matched.
 */
async function internalKeyName(presented: string, keys: InternalKey[]): Promise<string | null> {
  const [given, configured] = await Promise.all([sha256(presented), configuredDigests(keys)]);
  let name: string | null = null;
  configured.forEach((digest, i) => {
    if (crypto.subtle.timingSafeEqual(given, digest) && name === null) name = keys[i]?.name ?? null;
  });
  return name;
}

export const requireInternalKey = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization") ?? "";
  const token = header.length <= MAX_HEADER_LENGTH ? BEARER.exec(header)?.[1] : undefined;
  const name = token ? await internalKeyName(token, c.get("ctx").config.internalApiKeys) : null;
  if (!name) {
    // A wrong key counts against the client IP: guessing is throttled like any unauthenticated call.
    await countAgainstClientIp(c);
    throw new AppError("unauthorized", "A valid internal API key is required.", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  // Who acts: the key's name is the actor of every audit entry this request writes.
  c.set("actor", name);
  await next();
});
