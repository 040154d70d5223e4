// Prints a new Ed25519 signing key for LICENSE_SIGNING_KEYS (private JWK) and its public JWK.
// To rotate: put the new key first in the array and keep the old ones after it while their tokens live.
import { webcrypto } from "node:crypto";

const kid = process.argv[2] ?? `lic-${new Date().toISOString().slice(0, 10)}-${webcrypto.randomUUID().slice(0, 8)}`;
const { privateKey } = await webcrypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
const jwk = await webcrypto.subtle.exportKey("jwk", privateKey);
const privateJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d, kid, alg: "EdDSA" };
const publicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid, alg: "EdDSA", use: "sig" };

console.log("# Private JWK: add to LICENSE_SIGNING_KEYS (first entry signs). Keep secret.");
console.log(JSON.stringify(privateJwk));
console.log("# Public JWK (served at /.well-known/jwks.json):");
console.log(JSON.stringify(publicJwk));
