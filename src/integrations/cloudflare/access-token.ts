import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Config } from "../../config";
import { BoundedMap } from "../../lib/bounded-map";

/**
 * Cloudflare Access application tokens (docs: "Validate JWTs"): RS256, signed with the team's keys at
 * `<team domain>/cdn-cgi/access/certs`, `iss` = the team domain, `aud` an array holding the
 * application's AUD tag. The person is `email`; a service token carries `common_name` instead.
 */
export type AccessConfig = Pick<Config, "accessTeamDomain" | "accessAud">;

export interface AccessIdentity {
  /** The Access email (or `service:<common_name>` for a service token): the audit log's actor. */
  actor: string;
}

/**
 * Why a token is refused. `missing` and `invalid` (unsigned by the team, expired, malformed): 401;
 * `wrong_audience` (a valid team token for another application or issuer): 403. Safe to log.
 */
export type AccessDenial = "missing" | "invalid" | "wrong_audience" | "not_configured";

export class AccessDeniedError extends Error {
  constructor(
    readonly reason: AccessDenial,
    readonly detail: string = reason,
  ) {
    super(`access denied: ${detail}`);
    this.name = "AccessDeniedError";
  }
}

/** The team's certs could not be fetched, so no token can be judged either way. */
export class AccessUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super("Cloudflare Access certs unavailable", options);
    this.name = "AccessUnavailableError";
  }
}

// An Access token is ~1 KiB; anything far larger is refused before any parsing or crypto.
const MAX_TOKEN_LENGTH = 8 * 1024;
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const CLOCK_TOLERANCE_SEC = 30;
const CERTS_OPTIONS = {
  timeoutDuration: 3_000,
  // Access rotates every 6 weeks and keeps the previous key 7 days: an unknown kid refetches, at most once per 30 s.
  cooldownDuration: 30_000,
  cacheMaxAge: 10 * 60_000,
};

const certsByTeam = new BoundedMap<string, JWTVerifyGetKey>(8);

function teamCerts(teamDomain: string): JWTVerifyGetKey {
  return certsByTeam.getOrSet(teamDomain, () => {
    // jose reads the `keys` member; `public_cert` and `public_certs` (PEM) are ignored.
    const remote = createRemoteJWKSet(new URL(`${teamDomain}/cdn-cgi/access/certs`), CERTS_OPTIONS);
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (err) {
        if (
          err instanceof errors.JWKSNoMatchingKey ||
          err instanceof errors.JWKSMultipleMatchingKeys ||
          err instanceof errors.JOSENotSupported
        )
          throw err;
        throw new AccessUnavailableError({ cause: err });
      }
    };
  });
}

/** The token from `Cf-Access-Jwt-Assertion`, else from the `CF_Authorization` cookie (the browser's copy). */
function readAccessToken(header: string | undefined, cookie: string | undefined): string {
  const token = (header || cookie || "").trim();
  if (!token) throw new AccessDeniedError("missing");
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWT.test(token)) throw new AccessDeniedError("invalid", "malformed");
  return token;
}

async function verifyAccessToken(config: AccessConfig, token: string): Promise<AccessIdentity> {
  const { accessTeamDomain: team, accessAud: aud } = config;
  // Live mode refuses to start without them; elsewhere a console without Access stays shut.
  if (!team || !aud) throw new AccessDeniedError("not_configured");
  try {
    const { payload } = await jwtVerify(token, teamCerts(team), {
      issuer: team,
      audience: aud,
      algorithms: ["RS256"],
      clockTolerance: CLOCK_TOLERANCE_SEC,
      requiredClaims: ["exp", "iat", "aud", "iss"],
    });
    const email = typeof payload.email === "string" && payload.email.length <= 320 ? payload.email : undefined;
    const service =
      typeof payload.common_name === "string" && payload.common_name.length <= 200 ? payload.common_name : undefined;
    if (!email && !service) throw new AccessDeniedError("invalid", "no_identity");
    return { actor: email ?? `service:${service}` };
  } catch (err) {
    if (err instanceof AccessDeniedError || err instanceof AccessUnavailableError) throw err;
    // The signature verified (jose checks claims after it): a team token, but not for this application.
    if (err instanceof errors.JWTClaimValidationFailed && (err.claim === "aud" || err.claim === "iss"))
      throw new AccessDeniedError("wrong_audience", `${err.claim}_mismatch`);
    if (err instanceof errors.JOSEError) throw new AccessDeniedError("invalid", err.code);
    throw err;
  }
}

export interface AccessVerifier {
  verify(header: string | undefined, cookie: string | undefined): Promise<AccessIdentity>;
}

export const createAccessVerifier = (config: AccessConfig): AccessVerifier => ({
  verify: (header, cookie) => verifyAccessToken(config, readAccessToken(header, cookie)),
});
