import { calculateJwkThumbprint, EmbeddedJWK, errors, jwtVerify } from "jose";
import { toSec } from "../clock";

/** The public key a proof carries, as we store it with the seat: the RFC 7638 required members only. */
interface ProofKey {
  kty: "OKP";
  crv: "Ed25519";
  x: string;
}

export interface AcceptedProof {
  /** RFC 7638 thumbprint (SHA-256, base64url) of `key`: what a bound seat and its lease carry. */
  jkt: string;
  key: ProofKey;
  jti: string;
  iat: number;
}

export type ProofCheck = { status: "valid"; proof: AcceptedProof } | { status: "invalid"; reason: string };

export interface ProofExpectation {
  method: string;
  /** The request's path: behind Cloudflare (and wrangler dev) the Worker's URL has another host. */
  path: string;
  /** The origins clients address us by (PUBLIC_ORIGINS). */
  origins: readonly string[];
  now: Date;
  maxAgeSec: number;
}

const DPOP_TYP = "dpop+jwt";
// A proof is ~400 characters; the cap only keeps absurd input away from the parser.
const MAX_PROOF_CHARS = 4096;
const MAX_JTI_CHARS = 128;

const invalid = (reason: string): ProofCheck => ({ status: "invalid", reason });

/**
 * A DPoP proof (RFC 9449 §4.3) as this service accepts it: one compact JWT, `typ` dpop+jwt, `alg`
 * EdDSA, a public Ed25519 `jwk` only, its signature, `htm` and `htu` naming this request, `iat`
 * within `maxAgeSec` of our clock either way. Whether its `jti` was seen before is the caller's
 * (it needs the database). Pure: no I/O.
 */
export async function verifyDpopProof(proof: string, expect: ProofExpectation): Promise<ProofCheck> {
  // Two DPoP headers arrive joined by ", " (Fetch Headers): a JWT has no comma.
  if (proof.length > MAX_PROOF_CHARS || proof.includes(",")) return invalid("not exactly one proof");
  let payload: Record<string, unknown>;
  let jwk: Record<string, unknown>;
  try {
    const verified = await jwtVerify(proof, EmbeddedJWK, {
      typ: DPOP_TYP,
      algorithms: ["EdDSA"],
      currentDate: expect.now,
    });
    payload = verified.payload;
    jwk = verified.protectedHeader.jwk as Record<string, unknown>;
  } catch (err) {
    return invalid(err instanceof errors.JOSEError ? err.code : "malformed");
  }
  // EmbeddedJWK refuses a private key already; a `d` (or any member beyond the public ones) is refused here too.
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string" || "d" in jwk)
    return invalid("jwk is not a public Ed25519 key");
  const { jti, htm, htu, iat } = payload;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_CHARS) return invalid("jti");
  if (htm !== expect.method) return invalid("htm");
  if (typeof htu !== "string" || !URL.canParse(htu)) return invalid("htu");
  const target = new URL(htu); // query and fragment ignored (§4.3 step 9)
  if (target.pathname !== expect.path || !expect.origins.includes(target.origin)) return invalid("htu");
  if (typeof iat !== "number" || !Number.isFinite(iat)) return invalid("iat");
  if (Math.abs(toSec(expect.now) - iat) > expect.maxAgeSec) return invalid("iat");
  const key: ProofKey = { kty: "OKP", crv: "Ed25519", x: jwk.x };
  return { status: "valid", proof: { jkt: await calculateJwkThumbprint(key, "sha256"), key, jti, iat } };
}
