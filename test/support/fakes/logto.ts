// Logto at the HTTP level: a JWKS endpoint served by the shared msw server, and access tokens signed
// like Logto signs them (ES384, typ at+jwt, kid of the published key).
import { delay, http, HttpResponse } from "msw";
import { generateKeyPair, exportJWK, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";
import { TEST_LOGTO_ENDPOINT, TEST_LOGTO_RESOURCE } from "../../bindings";
import { server } from "../msw";

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

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const toPublic = ({ d: _d, ...pub }: JWK): JWK => ({ ...pub, alg: "ES384", use: "sig" });

async function loadKey(jwk: JWK & { kid: string }): Promise<SigningKey> {
  return { kid: jwk.kid, privateKey: (await importJWK(jwk, "ES384")) as CryptoKey, publicJwk: toPublic(jwk) };
}

export const primaryKey = () => loadKey(PRIMARY_JWK);
export const rotatedKey = () => loadKey(ROTATED_JWK);

/** A fresh ES384 key nobody publishes (a stranger's key), optionally claiming someone else's kid. */
export async function generateForeignKey(kid = `foreign-${crypto.randomUUID()}`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES384", { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "ES384", use: "sig" } };
}

type JwksMode = "ok" | "network_error" | "server_error" | "hang";

/** What the fake JWKS endpoint serves, and how often it was asked. Tests mutate it to rotate keys or fail. */
export interface LogtoJwksState {
  endpoint: string;
  keys: JWK[];
  mode: JwksMode;
  hits: number;
}

function logtoJwksHandler(state: LogtoJwksState) {
  return http.get(`${state.endpoint}/oidc/jwks`, async () => {
    state.hits += 1;
    if (state.mode === "network_error") return HttpResponse.error();
    if (state.mode === "server_error") return HttpResponse.json({ error: "boom" }, { status: 500 });
    if (state.mode === "hang") await delay("infinite");
    return HttpResponse.json({ keys: state.keys });
  });
}

/** Serves the primary key at `endpoint` (default: the one the test bindings use) for the current test. */
export async function useLogto(endpoint = TEST_LOGTO_ENDPOINT): Promise<LogtoJwksState> {
  const state: LogtoJwksState = { endpoint, keys: [(await primaryKey()).publicJwk], mode: "ok", hits: 0 };
  server.use(logtoJwksHandler(state));
  return state;
}

export interface SignOptions {
  key?: SigningKey;
  /** Header fields to override (alg, typ, kid). */
  header?: Record<string, unknown>;
  endpoint?: string;
}

/** A Logto access token for `sub`; any claim can be overridden, or removed by setting it to undefined. */
export async function signAccessToken(
  claims: { sub: string } & JWTPayload,
  options: SignOptions = {},
): Promise<string> {
  const key = options.key ?? (await primaryKey());
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: `${options.endpoint ?? TEST_LOGTO_ENDPOINT}/oidc`,
    aud: TEST_LOGTO_RESOURCE,
    iat: now,
    exp: now + 3600,
    jti: crypto.randomUUID(),
    client_id: "desktop-app",
    scope: "",
    ...claims,
  };
  const header = { alg: "ES384", typ: "at+jwt", kid: key.kid, ...options.header } as { alg: string };
  return new SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);
}

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** An unsecured JWT (`alg: none`, empty signature) with Logto-looking claims. */
export function unsignedToken(claims: { sub: string } & JWTPayload): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: `${TEST_LOGTO_ENDPOINT}/oidc`,
    aud: TEST_LOGTO_RESOURCE,
    iat: now,
    exp: now + 3600,
    ...claims,
  };
  return `${b64url({ alg: "none", typ: "at+jwt", kid: PRIMARY_JWK.kid })}.${b64url(payload)}.`;
}

/** HS256 keyed with the published public JWK: the classic algorithm-confusion forgery. */
export async function publicKeyHmacToken(claims: { sub: string } & JWTPayload): Promise<string> {
  const secret = new TextEncoder().encode(JSON.stringify(toPublic(PRIMARY_JWK)));
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `${TEST_LOGTO_ENDPOINT}/oidc`,
    aud: TEST_LOGTO_RESOURCE,
    iat: now,
    exp: now + 3600,
    ...claims,
  })
    .setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: PRIMARY_JWK.kid })
    .sign(secret);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
