// The fake Logto (tools/fakes/logto.mjs, shared with the bench) mounted in msw, with fixed keys, and
// the forgeries the tests try against the account endpoints.
import { importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";
import {
  generateLogtoKey,
  type LogtoJwks,
  type LogtoSigningKey,
  logtoApi,
  logtoClaims,
  signLogtoAccessToken,
} from "../../../tools/fakes/logto.mjs";
import { TEST_LOGTO_ENDPOINT, TEST_LOGTO_RESOURCE } from "../../bindings";
import { mount, server } from "../msw";

// Fixed test-only keys: every isolate must agree with whatever JWKS the worker cached earlier.
const PRIMARY_JWK = {
  kty: "EC",
  crv: "P-384",
  kid: "logto-test-primary",
  x: "6lGwPvGUUoV1H7rOwt3pKBilzmfkckUukRksuWspapZuZdRTDyPNE0spIjX2s-yE",
  y: "UJcPv4ZvYYILg81Z_Z33iWjX0WeoXyxrx9eWLOkIi3-GeK-tQbF8kGfqL6wMzPbi",
  d: "jS63KvTg-6-aSXi6tApXy-iym_QwQ9BU4pruXX5HNpQzcdJ4RYdWStodX4nbS_qI",
};
const ROTATED_JWK = {
  kty: "EC",
  crv: "P-384",
  kid: "logto-test-rotated",
  x: "qdkM7pxlFa-fBCCl3dySmjzGYjv1pjOrZi2S3fZDHA-waSsVTfxsmuh9e9NJNrBW",
  y: "C8CRvLh6J6n-hS9Zy8wpeH-cXD6JuWyXdENjUm7akGzC_hcRMUmrc9fslLFUZeBR",
  d: "aIHxQZtrJlZ0aJr8tDVpthgJ0BoBs5MC2R1W0guLmXf05iCMuxyliyYkUyCQ1NUQ",
};

export type SigningKey = LogtoSigningKey;

const toPublic = ({ d: _d, ...pub }: JWK): JWK => ({ ...pub, alg: "ES384", use: "sig" });

async function loadKey(jwk: JWK & { kid: string }): Promise<SigningKey> {
  return { kid: jwk.kid, privateKey: (await importJWK(jwk, "ES384")) as CryptoKey, publicJwk: toPublic(jwk) };
}

export const primaryKey = () => loadKey(PRIMARY_JWK);
export const rotatedKey = () => loadKey(ROTATED_JWK);

/** A fresh ES384 key nobody publishes (a stranger's key), optionally claiming someone else's kid. */
export const generateForeignKey = (kid = `foreign-${crypto.randomUUID()}`) => generateLogtoKey(kid);

/** Serves the primary key at `endpoint` (default: the one the test bindings use) for the current test. */
export async function useLogto(endpoint = TEST_LOGTO_ENDPOINT): Promise<LogtoJwks & { endpoint: string }> {
  const jwks = { endpoint, keys: [(await primaryKey()).publicJwk], mode: "ok" as const, hits: 0 };
  server.use(mount(endpoint, logtoApi(jwks)));
  return jwks;
}

export interface SignOptions {
  key?: SigningKey;
  /** Header fields to override (alg, typ, kid). */
  header?: Record<string, unknown>;
  endpoint?: string;
}

/** A Logto access token for `sub`; any claim can be overridden, or removed by setting it to undefined. */
export async function signAccessToken(claims: { sub: string } & JWTPayload, options: SignOptions = {}) {
  return signLogtoAccessToken(options.key ?? (await primaryKey()), claims, {
    endpoint: options.endpoint ?? TEST_LOGTO_ENDPOINT,
    resource: TEST_LOGTO_RESOURCE,
    header: options.header,
  });
}

const TENANT = { endpoint: TEST_LOGTO_ENDPOINT, resource: TEST_LOGTO_RESOURCE };

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** An unsecured JWT (`alg: none`, empty signature) with Logto-looking claims. */
export function unsignedToken(claims: { sub: string } & JWTPayload): string {
  const payload = logtoClaims(claims, TENANT);
  return `${b64url({ alg: "none", typ: "at+jwt", kid: PRIMARY_JWK.kid })}.${b64url(payload)}.`;
}

/** HS256 keyed with the published public JWK: the classic algorithm-confusion forgery. */
export async function publicKeyHmacToken(claims: { sub: string } & JWTPayload): Promise<string> {
  const secret = new TextEncoder().encode(JSON.stringify(toPublic(PRIMARY_JWK)));
  return new SignJWT(logtoClaims(claims, TENANT))
    .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: PRIMARY_JWK.kid })
    .sign(secret);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
