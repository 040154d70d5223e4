import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Config } from "../../config";
import { BoundedMap } from "../../lib/bounded-map";
import { fromSec } from "../../lib/clock";
import { sha256 } from "../../lib/crypto";
import { InvalidAccessTokenError, LogtoUnavailableError } from "../../errors";
import { required } from "../../lib/required";

export type LogtoConfig = Pick<Config, "logtoEndpoint" | "logtoApiResource" | "logtoAlgorithms" | "logtoClientIds">;

export interface LogtoIdentity {
  sub: string;
  email?: string;
}

// A Logto access token is well under 2 KiB; anything far larger is refused before any parsing or crypto.
const MAX_AUTHORIZATION_LENGTH = 8 * 1024;
const BEARER_JWT = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;
// Logto marks access tokens `at+jwt` (RFC 9068); license keys and leases carry other types and must not pass.
const ACCEPTED_TYPES: ReadonlySet<string> = new Set(["at+jwt", "application/at+jwt", "jwt"]);
const CLOCK_TOLERANCE_SEC = 30;
const JWKS_OPTIONS = {
  timeoutDuration: 3_000,
  // An unknown kid refetches the JWKS at most once per cooldown, so random kids cannot hammer Logto.
  cooldownDuration: 30_000,
  cacheMaxAge: 10 * 60_000,
};

/** Returns the compact JWT from `Authorization: Bearer <jwt>`; opaque tokens and license keys fail the shape. */
function readBearerToken(header: string | undefined): string {
  if (!header) throw new InvalidAccessTokenError("missing");
  if (header.length > MAX_AUTHORIZATION_LENGTH) throw new InvalidAccessTokenError("oversized");
  const match = BEARER_JWT.exec(header.trim());
  if (!match?.[1]) throw new InvalidAccessTokenError("not_a_bearer_jwt");
  return match[1];
}

// One entry per configured Logto endpoint.
const jwksByEndpoint = new BoundedMap<string, JWTVerifyGetKey>(8);

function isKeyMismatch(err: unknown): boolean {
  return (
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JWKSMultipleMatchingKeys ||
    err instanceof errors.JOSENotSupported
  );
}

/** Cached per isolate and endpoint, so keys and the refetch cooldown survive across requests. */
function getLogtoJwks(endpoint: string): JWTVerifyGetKey {
  return jwksByEndpoint.getOrSet(endpoint, () => logtoJwks(endpoint));
}

function logtoJwks(endpoint: string): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(`${endpoint}/oidc/jwks`), JWKS_OPTIONS);
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      // Timeouts, network errors, non-200 and malformed sets say nothing about the token.
      if (isKeyMismatch(err)) throw err;
      throw new LogtoUnavailableError({ cause: err });
    }
  };
}

function checkTokenType(token: string): void {
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch {
    throw new InvalidAccessTokenError("malformed_header");
  }
  if (typ !== undefined && (typeof typ !== "string" || !ACCEPTED_TYPES.has(typ.toLowerCase()))) {
    throw new InvalidAccessTokenError("wrong_type");
  }
}

// Tokens already verified by this isolate: an app polling status re-sends the same token, and
// ES384 verification is most of that request's CPU. An entry lives 60 s at most (and never past
// the token's exp), so a key Logto withdraws stops being honoured within a minute of jose's own cache.
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 1_000;
const verified = new BoundedMap<string, { identity: LogtoIdentity; validUntilMs: number }>(VERIFIED_MAX);

async function cacheKey(config: LogtoConfig, token: string): Promise<string> {
  const digest = await sha256(
    `${config.logtoEndpoint}\n${config.logtoApiResource}\n${config.logtoAlgorithms.join(",")}\n${config.logtoClientIds.join(",")}\n${token}`,
  );
  return btoa(String.fromCharCode(...digest));
}

async function verifyLogtoAccessToken(config: LogtoConfig, token: string): Promise<LogtoIdentity> {
  const key = await cacheKey(config, token);
  const hit = verified.get(key);
  if (hit && Date.now() < hit.validUntilMs) return hit.identity;
  if (hit) verified.delete(key);
  const { identity, expSec } = await verifyUncached(config, token);
  verified.set(key, { identity, validUntilMs: Math.min(Date.now() + VERIFIED_TTL_MS, fromSec(expSec).getTime()) });
  return identity;
}

async function verifyUncached(
  config: LogtoConfig,
  token: string,
): Promise<{ identity: LogtoIdentity; expSec: number }> {
  checkTokenType(token);
  try {
    const { payload } = await jwtVerify(token, getLogtoJwks(config.logtoEndpoint), {
      issuer: `${config.logtoEndpoint}/oidc`,
      audience: config.logtoApiResource,
      algorithms: config.logtoAlgorithms,
      clockTolerance: CLOCK_TOLERANCE_SEC,
      requiredClaims: ["sub", "exp", "iat"],
    });
    if (typeof payload.sub !== "string" || payload.sub.length === 0 || payload.sub.length > 255) {
      throw new InvalidAccessTokenError("bad_subject");
    }
    // Any application of the tenant (another app, a machine-to-machine client) can get a token for our
    // API resource: only the desktop apps' tokens are customers.
    const clientId = typeof payload.client_id === "string" ? payload.client_id : null;
    if (config.logtoClientIds.length > 0 && !(clientId && config.logtoClientIds.includes(clientId))) {
      throw new InvalidAccessTokenError("client_not_allowed");
    }
    const identity = { sub: payload.sub, ...(typeof payload.email === "string" ? { email: payload.email } : {}) };
    return { identity, expSec: required(payload.exp, "exp (a required claim)") };
  } catch (err) {
    if (err instanceof LogtoUnavailableError || err instanceof InvalidAccessTokenError) throw err;
    if (err instanceof errors.JOSEError) throw new InvalidAccessTokenError(err.code);
    throw err;
  }
}

export interface LogtoVerifier {
  /** The token's subject; throws InvalidAccessTokenError or LogtoUnavailableError. */
  verify(authorizationHeader: string | undefined): Promise<LogtoIdentity>;
}

export const createLogtoVerifier = (config: LogtoConfig): LogtoVerifier => ({
  verify: (header) => verifyLogtoAccessToken(config, readBearerToken(header)),
});
