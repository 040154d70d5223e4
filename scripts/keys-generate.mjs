// Prints a new Ed25519 signing key for LICENSE_SIGNING_KEYS (private JWK) and its public JWK.
// To rotate: put the new key first in the array and keep the old ones after it while their tokens live.
import { generateSigningKey, publicSigningJwk } from "../tools/keys/signing-key.mjs";

const kid = process.argv[2] ?? `lic-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
const privateJwk = await generateSigningKey(kid);

console.log("# Private JWK: add to LICENSE_SIGNING_KEYS (first entry signs). Keep secret.");
console.log(JSON.stringify(privateJwk));
console.log("# Public JWK (served at /.well-known/jwks.json):");
console.log(JSON.stringify(publicSigningJwk(privateJwk)));
