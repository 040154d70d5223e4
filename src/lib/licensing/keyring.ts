import { errors, importJWK, type JWTVerifyGetKey } from "jose";
import { BoundedMap } from "../bounded-map";
import { ConfigError } from "../config-error";
import { required } from "../required";

interface PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  kid: string;
  alg: "EdDSA";
  use: "sig";
}

export interface Keyring {
  signer: { kid: string; key: CryptoKey };
  /** Resolves a JWT header's `kid` to one of the configured keys; any other `kid` fails verification. */
  verifyKey: JWTVerifyGetKey;
  publicJwks: PublicJwk[];
}

interface PrivateJwk {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  d: string;
  kid: string;
}

// Importing keys costs a few ms; the JSON string is the cache key so a changed secret takes effect.
const cache = new BoundedMap<string, Promise<Keyring>>(8);

/** LICENSE_SIGNING_KEYS: a JSON array of private Ed25519 JWKs; the first signs, all of them verify. */
export function loadKeyring(signingKeysJson: string): Promise<Keyring> {
  return cache.getOrSet(signingKeysJson, () => {
    const keyring = importKeyring(signingKeysJson);
    // A secret that does not import is not cached: the next request reports it again.
    keyring.catch(() => cache.delete(signingKeysJson));
    return keyring;
  });
}

async function importKeyring(json: string): Promise<Keyring> {
  const jwks = parseSigningKeys(json);
  const publicJwks = jwks.map(({ kty, crv, x, kid }): PublicJwk => ({ kty, crv, x, kid, alg: "EdDSA", use: "sig" }));
  const verifiers = new Map<string, CryptoKey>();
  try {
    for (const jwk of publicJwks) verifiers.set(jwk.kid, (await importJWK(jwk, "EdDSA")) as CryptoKey);
    const first = required(jwks[0], "a signing key (the list was checked non-empty)");
    const signer = { kid: first.kid, key: (await importJWK(first, "EdDSA")) as CryptoKey };
    const verifyKey: JWTVerifyGetKey = (header) => {
      const key = header.kid === undefined ? undefined : verifiers.get(header.kid);
      if (!key) throw new errors.JWKSNoMatchingKey();
      return key;
    };
    return { signer, verifyKey, publicJwks };
  } catch {
    throw new ConfigError(["LICENSE_SIGNING_KEYS"]);
  }
}

function parseSigningKeys(json: string): PrivateJwk[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ConfigError(["LICENSE_SIGNING_KEYS"]);
  }
  const keys = Array.isArray(value) ? value : [];
  const valid = keys.length > 0 && keys.every(isPrivateEd25519Jwk);
  const kids = new Set(keys.map((k: { kid?: unknown }) => k.kid));
  if (!valid || kids.size !== keys.length) throw new ConfigError(["LICENSE_SIGNING_KEYS"]);
  return keys as PrivateJwk[];
}

function isPrivateEd25519Jwk(v: unknown): v is PrivateJwk {
  const k = v as Partial<Record<keyof PrivateJwk, unknown>> | null;
  return (
    !!k &&
    k.kty === "OKP" &&
    k.crv === "Ed25519" &&
    [k.x, k.d, k.kid].every((s) => typeof s === "string" && s.length > 0)
  );
}
