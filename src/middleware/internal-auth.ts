import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { AppError } from "../errors";
import { BoundedMap } from "../lib/bounded-map";
import { sha256 } from "../lib/crypto";
import { countAgainstClientIp } from "./rate-limit";

// Longer than any key we issue; anything bigger is refused before hashing.
const MAX_HEADER_LENGTH = 512;
const BEARER = /^Bearer +(\S+)$/i;

// Keyed by the configured key list: one entry per configuration an isolate has seen (a rotation adds one).
const digestCache = new BoundedMap<string, Promise<Uint8Array[]>>(8);

function configuredDigests(keys: string[]): Promise<Uint8Array[]> {
  return digestCache.getOrSet(keys.join("\n"), () => Promise.all(keys.map(sha256)));
}

/**
 * `Authorization: Bearer <one of INTERNAL_API_KEYS>`. Both sides are hashed first, so the
 * constant-time compare always sees equal lengths and a key of another length cannot throw.
 */
async function isInternalKey(presented: string, keys: string[]): Promise<boolean> {
  const [given, configured] = await Promise.all([sha256(presented), configuredDigests(keys)]);
  let match = false;
  for (const digest of configured) match = crypto.subtle.timingSafeEqual(given, digest) || match;
  return match;
}

export const requireInternalKey = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization") ?? "";
  const token = header.length <= MAX_HEADER_LENGTH ? BEARER.exec(header)?.[1] : undefined;
  if (!token || !(await isInternalKey(token, c.get("ctx").config.internalApiKeys))) {
    // A wrong key counts against the client IP: guessing is throttled like any unauthenticated call.
    await countAgainstClientIp(c);
    throw new AppError("unauthorized", "A valid internal API key is required.", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  await next();
});
