import type { Ctx } from "../../context";
import { UnavailableError } from "../../errors";
import { normalizeAddress } from "../../lib/email-address";
import { newId } from "../../lib/ids";
import { errorMessage } from "../../lib/logger";

/**
 * Only puts the request on the queue: the lookup, the per-address limits and the email happen in
 * the consumer (sendLicenseRecovery). So the answer, and the time it takes, are the same whether or
 * not the address bought anything: the endpoint cannot tell anyone who our customers are.
 */
export async function requestLicenseRecovery(ctx: Ctx, input: { email: string }): Promise<{ requestId: string }> {
  const requestId = newId("rcv");
  try {
    await ctx.jobs.enqueueLicenseRecovery({ requestId, address: normalizeAddress(input.email) });
  } catch (err) {
    ctx.log.error("license recovery: could not enqueue", { recoveryRequestId: requestId, error: errorMessage(err) });
    throw new UnavailableError("The request could not be taken now. Please retry.", 10);
  }
  ctx.log.info("license recovery requested", { recoveryRequestId: requestId });
  return { requestId };
}
