import type { Ctx } from "../../context";
import { rememberProofJti } from "../../db/queries/seat-proofs";
import { ProofRefusedError } from "../../errors";
import { fromSec } from "../../lib/clock";
import { type AcceptedProof, verifyDpopProof } from "../../lib/licensing/dpop-proof";

export type { AcceptedProof };

/** What a request says about its install's key: its `DPoP` header (if any) and what it is addressed to. */
export interface ProofRequest {
  proof: string | undefined;
  method: string;
  path: string;
}

const BAD_PROOF = "The DPoP proof is not valid for this request.";
export const MISSING_PROOF = "This seat is bound to an install's key: send a DPoP proof signed with it.";

/**
 * The request's DPoP proof once it checks out and its `jti` is new for its key; null when none
 * was sent. A bad one (signature, `htm`, `htu`, age, reused `jti`) throws ProofRefusedError. Call it
 * once the key verifies and before the per-license limit: like a bad key, a bad proof costs only
 * its client IP's budget.
 */
export async function acceptSeatProof(ctx: Ctx, req: ProofRequest): Promise<AcceptedProof | null> {
  if (req.proof === undefined) return null;
  const now = ctx.clock.now();
  const check = await verifyDpopProof(req.proof, {
    method: req.method,
    path: req.path,
    origins: ctx.config.publicOrigins,
    now,
    maxAgeSec: ctx.config.dpopMaxAgeSec,
  });
  if (check.status === "invalid") {
    ctx.log.info("seat proof rejected", { reason: check.reason });
    throw new ProofRefusedError(BAD_PROOF, true);
  }
  const { proof } = check;
  // Acceptable until iat + max age by our clock: remembered that long, then forgotten.
  const expiresAt = fromSec(proof.iat + ctx.config.dpopMaxAgeSec + 1);
  if (!(await rememberProofJti(ctx.db, { jkt: proof.jkt, jti: proof.jti, expiresAt, now }))) {
    ctx.log.info("seat proof rejected", { reason: "jti replayed" });
    throw new ProofRefusedError(BAD_PROOF, true);
  }
  return proof;
}

export type SeatChoice = { kind: "seat"; jkt: string | null } | { kind: "none" } | { kind: "refused" };

/**
 * Which of a machine's seats (their key thumbprints, null for the unbound one) this request speaks
 * for: the seat of the key it proved; else the machine's unbound seat, unless SEAT_PROOF=required;
 * refused when only other keys' seats remain (a copied machine id). None: the machine holds no seat.
 */
export function chooseSeat(ctx: Ctx, seatKeys: readonly (string | null)[], proof: AcceptedProof | null): SeatChoice {
  if (proof && seatKeys.includes(proof.jkt)) return { kind: "seat", jkt: proof.jkt };
  if (seatKeys.includes(null))
    return ctx.config.seatProof === "required" ? { kind: "refused" } : { kind: "seat", jkt: null };
  return seatKeys.length > 0 ? { kind: "refused" } : { kind: "none" };
}

export const refusedSeat = (proof: AcceptedProof | null) =>
  new ProofRefusedError(proof ? "This seat is bound to another install's key." : MISSING_PROOF, proof !== null);
