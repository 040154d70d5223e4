// The license signing key: an Ed25519 private JWK for LICENSE_SIGNING_KEYS, and its public half as
// /.well-known/jwks.json serves it. WebCrypto only, so Node (scripts, bench, the tests' global setup)
// and workerd (the tests) make keys the same way.

/** @typedef {{ kty: string; crv: string; x: string; d: string; kid: string; alg: "EdDSA" }} PrivateSigningJwk */

/** @param {string} kid @returns {Promise<PrivateSigningJwk>} */
export async function generateSigningKey(kid) {
  const pair = /** @type {CryptoKeyPair} */ (
    await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])
  );
  const jwk = /** @type {JsonWebKey} */ (await crypto.subtle.exportKey("jwk", pair.privateKey));
  return {
    kty: String(jwk.kty),
    crv: String(jwk.crv),
    x: String(jwk.x),
    d: String(jwk.d),
    kid,
    alg: "EdDSA",
  };
}

/** @param {PrivateSigningJwk} jwk */
export const publicSigningJwk = ({ kty, crv, x, kid, alg }) => ({ kty, crv, x, kid, alg, use: "sig" });
