// Tokens signed the way an attacker or an old key would, and readers of what the worker wrote.
import { eq } from "drizzle-orm";
import { base64url, importJWK, SignJWT, type JWK } from "jose";
import { inject } from "vitest";
import { activations, emailOutbox, licenses, licenseTokens } from "../../src/db/schema";
import { addDays, toSec } from "../../src/lib/clock";
import { generateSigningKey } from "../../tools/keys/signing-key.mjs";
import { TEST_LICENSE_ISSUER } from "../bindings";
import { testDb } from "./db";

export const currentSigningKey = (): JWK => JSON.parse(inject("signingKeys"))[0];
export const retiredSigningKey = (): JWK => JSON.parse(inject("retiredSigningKey"));

/** A genuine Ed25519 key the service does not know (a stranger's, or one claiming a known kid). */
export const generateStrangerKey = (kid: string): Promise<JWK> => generateSigningKey(kid);

/** The claims a genuine key of this license carries; override any of them (undefined drops one). */
export function licenseClaims(licenseId: string, over: Record<string, unknown> = {}) {
  const now = new Date();
  const claims: Record<string, unknown> = {
    iss: TEST_LICENSE_ISSUER,
    sub: licenseId,
    aud: "simpl-resultat",
    tier: "base",
    iat: toSec(now),
    exp: toSec(addDays(now, 30)),
    jti: `jti_test_${crypto.randomUUID()}`,
    ...over,
  };
  for (const k of Object.keys(claims)) if (claims[k] === undefined) delete claims[k];
  return claims;
}

/** Signs any claims and header with an Ed25519 private JWK, then adds a key prefix. */
export async function signKey(
  jwk: JWK,
  claims: Record<string, unknown>,
  o: { prefix?: string; typ?: string; kid?: string } = {},
): Promise<string> {
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: "EdDSA", typ: o.typ ?? "JWT", kid: o.kid ?? jwk.kid! })
    .sign(await importJWK(jwk, "EdDSA"));
  return `${o.prefix ?? "SR-BASE"}-${jwt}`;
}

/** A JWT signed with HS256 using the public key's bytes as the secret: the classic algorithm swap. */
export async function signHs256WithPublicKey(jwk: JWK, claims: Record<string, unknown>, prefix = "SR-BASE") {
  const secret = new TextEncoder().encode(JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }));
  const jwt = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT", kid: jwk.kid! }).sign(secret);
  return `${prefix}-${jwt}`;
}

export function unsignedKey(claims: Record<string, unknown>, kid: string, prefix = "SR-BASE") {
  const part = (v: unknown) => base64url.encode(JSON.stringify(v));
  return `${prefix}-${part({ alg: "none", typ: "JWT", kid })}.${part(claims)}.`;
}

/** The key with one claim changed in the payload and the original signature kept. */
export function tamperKey(key: string, change: Record<string, unknown>) {
  const jwt = jwtOf(key);
  const [header, , signature] = jwt.split(".");
  const forged = base64url.encode(JSON.stringify({ ...decodeClaims(jwt), ...change }));
  return `${key.slice(0, -jwt.length)}${header}.${forged}.${signature}`;
}

export const decodeClaims = (jwt: string) => JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split(".")[1]!)));
export const jwtOf = (key: string) => key.split("-").slice(2).join("-");

export const activationsOf = (licenseId: string) =>
  testDb().select().from(activations).where(eq(activations.licenseId, licenseId));
export const tokensOf = (licenseId: string) =>
  testDb().select().from(licenseTokens).where(eq(licenseTokens.licenseId, licenseId));
export const licenseRow = async (licenseId: string) =>
  (await testDb().select().from(licenses).where(eq(licenses.id, licenseId)))[0];
export const outboxOf = (licenseId: string) =>
  testDb().select().from(emailOutbox).where(eq(emailOutbox.licenseId, licenseId));
