// Logto at the HTTP level: the JWKS endpoint (/oidc/jwks) serving what a test or the bench publishes,
// and access tokens signed like Logto signs them (ES384, typ at+jwt, kid of the published key).
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { json, networkError, never } from "./respond.mjs";

/**
 * @typedef {{ kid: string; privateKey: import("jose").CryptoKey; publicJwk: import("jose").JWK }} LogtoSigningKey
 * @typedef {"ok" | "network_error" | "server_error" | "hang"} JwksMode
 * @typedef {{ keys: import("jose").JWK[]; mode: JwksMode; hits: number }} LogtoJwks
 * What the fake JWKS endpoint serves, and how often it was asked: tests change it to rotate keys or fail.
 */

/** A fresh ES384 key (the bench's key, or a stranger's key a test signs with). @param {string} kid @returns {Promise<LogtoSigningKey>} */
export async function generateLogtoKey(kid) {
  const { privateKey, publicKey } = await generateKeyPair("ES384", { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "ES384", use: "sig" } };
}

/** @param {LogtoJwks} jwks @returns {import("./respond.mjs").FakeHandler} */
export function logtoApi(jwks) {
  return async (request) => {
    if (request.method !== "GET" || new URL(request.url).pathname !== "/oidc/jwks") return undefined;
    jwks.hits += 1;
    if (jwks.mode === "network_error") return networkError();
    if (jwks.mode === "server_error") return json({ error: "boom" }, 500);
    if (jwks.mode === "hang") await never();
    return json({ keys: jwks.keys });
  };
}

/**
 * The issuer, audience and an hour of validity of a token of this tenant, under `claims` (which win).
 * @template {import("jose").JWTPayload} C @param {C} claims @param {{ endpoint: string; resource: string }} tenant
 */
export function logtoClaims(claims, { endpoint, resource }) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: `${endpoint}/oidc`, aud: resource, iat: now, exp: now + 3600, ...claims };
}

/**
 * A Logto access token for `claims.sub` from the tenant at `endpoint` for API `resource`; any claim
 * can be overridden, or removed by setting it to undefined. `header` overrides alg, typ or kid.
 * @param {LogtoSigningKey} key
 * @param {{ sub: string } & import("jose").JWTPayload} claims
 * @param {{ endpoint: string; resource: string; header?: Record<string, unknown> }} tenant
 */
export function signLogtoAccessToken(key, claims, { endpoint, resource, header }) {
  const payload = logtoClaims(
    { jti: crypto.randomUUID(), client_id: "desktop-app", scope: "", ...claims },
    { endpoint, resource },
  );
  const protectedHeader = /** @type {{ alg: string }} */ ({ alg: "ES384", typ: "at+jwt", kid: key.kid, ...header });
  return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(key.privateKey);
}
