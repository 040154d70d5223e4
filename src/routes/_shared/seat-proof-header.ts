import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import type { ProofRequest } from "../../services/licenses/seat-proof";

/** The `DPoP` request header of activate, validate and deactivate (API.md, "Seats bound to a key"). */
export const SeatProofHeaders = z.object({
  // Declared without rules: any value reaches the verifier, so a bad proof is `invalid_proof`, never a 422.
  // (Hono reads header names lower-cased: the handler reads the header itself, seatProofOf.)
  DPoP: z
    .string()
    .optional()
    .openapi({
      description:
        'RFC 9449 proof of the install\'s key: a JWT with header `{"typ":"dpop+jwt","alg":"EdDSA","jwk":{"kty":"OKP",' +
        '"crv":"Ed25519","x":"…"}}` (public key only) and claims `jti`, `htm` (this method), `htu` (this URL, an origin ' +
        "of `PUBLIC_ORIGINS` and this path, no query), `iat` (within `DPOP_MAX_AGE_SECONDS`, default 60). With it the " +
        "seat is bound to the key; a bound seat needs it on every call.",
      example: "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVkRFNBIiwiandrIjp7Li4ufX0.eyJqdGkiOiIuLi4ifQ.c2ln",
    }),
});

/** What the proof must name: the method and path as the Worker sees them (the origin is checked against PUBLIC_ORIGINS). */
export const seatProofOf = (c: Context<AppEnv>): ProofRequest => ({
  proof: c.req.header("DPoP"),
  method: c.req.method,
  path: c.req.path,
});
