// An install's side of DPoP (RFC 9449) with Ed25519: its key pair and the proof it sends with
// activate / validate / deactivate. Used by the tests and scripts/try-seat-proofs.mjs.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT } from "jose";

/**
 * @typedef {{ privateKey: CryptoKey, publicJwk: { kty: string, crv: string, x: string }, jkt: string }} InstallKey
 */

/** A fresh Ed25519 key pair, its public JWK (RFC 7638 members only) and its thumbprint. @returns {Promise<InstallKey>} */
export async function newInstallKey() {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const { kty, crv, x } = await exportJWK(publicKey);
  const publicJwk = { kty: String(kty), crv: String(crv), x: String(x) };
  return { privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, "sha256") };
}

/** The private JWK of a key (to build the refused "jwk with d" proof). @param {InstallKey} key */
export const privateJwkOf = async (key) => exportJWK(key.privateKey);

/**
 * A DPoP proof for `htm` `htu`, signed with `key`. Overrides: `iat` (seconds), `jti`, `jwk` (the
 * header's key, e.g. another's), `typ`, `alg`, any claim in `claims` (undefined drops it).
 * @param {InstallKey} key
 * @param {{ htm: string, htu: string, iat?: number, jti?: string, jwk?: object, typ?: string, claims?: Record<string, unknown> }} p
 */
export async function signProof(key, p) {
  const claims = {
    jti: p.jti ?? crypto.randomUUID(),
    htm: p.htm,
    htu: p.htu,
    iat: p.iat ?? Math.floor(Date.now() / 1000),
    ...p.claims,
  };
  for (const k of Object.keys(claims)) if (claims[k] === undefined) delete claims[k];
  return new SignJWT(claims)
    .setProtectedHeader({ typ: p.typ ?? "dpop+jwt", alg: "EdDSA", jwk: p.jwk ?? key.publicJwk })
    .sign(key.privateKey);
}

/** A key from its private JWK (fixed keys of test vectors). @param {import("jose").JWK} jwk @returns {Promise<InstallKey>} */
export async function installKeyFrom(jwk) {
  const publicJwk = { kty: String(jwk.kty), crv: String(jwk.crv), x: String(jwk.x) };
  const privateKey = /** @type {CryptoKey} */ (await importJWK({ ...jwk, ext: true }, "EdDSA"));
  return { privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, "sha256") };
}
