import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env";
import type { ErrorCode } from "../../errors";
import { KiB, limitBody } from "../../middleware/body-limit";
import { requireInternalKey } from "../../middleware/internal-auth";
import { requireLogtoUser } from "../../middleware/logto-auth";
import { limitByAccount, limitByClientIp } from "../../middleware/rate-limit";
import { JSON_BODY_ERRORS, limitJsonBody } from "./declare";

/**
 * Who may call a route, one entry a kind of caller: the OpenAPI security requirement, the middleware
 * that enforces it (with the body limit first when the route reads JSON) and the problems that
 * middleware answers travel together, so a route cannot document one gate and run another.
 * In a route: `...GATES.internalKeyJson.route` in createRoute, `...GATES.internalKeyJson.errors` in
 * problemResponses. A failed attempt counts against the client IP (hence rate_limited).
 */
const gate = <const M extends MiddlewareHandler<AppEnv>[], const E extends readonly ErrorCode[]>(
  security: { [scheme: string]: string[] }[],
  middleware: M,
  errors: E,
) => ({ route: { security, middleware }, errors });

const INTERNAL_API_KEY = [{ internalApiKey: [] }];
const LOGTO_BEARER = [{ logtoBearer: [] }];
const KEY_ERRORS = ["unauthorized", "rate_limited"] as const;
const BEARER_ERRORS = ["invalid_token", "unavailable", "rate_limited"] as const;

export const GATES = {
  /** Anyone, limited per client IP. */
  public: gate([], [limitByClientIp], ["rate_limited"]),
  publicJson: gate([], [limitJsonBody, limitByClientIp], [...JSON_BODY_ERRORS, "rate_limited"]),
  /** Support and back office: an internal API key (INTERNAL_API_KEYS). */
  internalKey: gate(INTERNAL_API_KEY, [requireInternalKey], KEY_ERRORS),
  internalKeyJson: gate(INTERNAL_API_KEY, [limitJsonBody, requireInternalKey], [...JSON_BODY_ERRORS, ...KEY_ERRORS]),
  /** A signed-in buyer: a Logto access token, limited per account. */
  account: gate(LOGTO_BEARER, [requireLogtoUser, limitByAccount], BEARER_ERRORS),
  accountJson: gate(
    LOGTO_BEARER,
    [limitJsonBody, requireLogtoUser, limitByAccount],
    [...JSON_BODY_ERRORS, ...BEARER_ERRORS],
  ),
  /**
   * Stripe: the signature covers the exact bytes, so the webhook's handler verifies it (invalid_signature);
   * events can be large (expanded objects), and nothing else we accept needs more than 16 KiB.
   */
  stripeSignature: gate([{ stripeSignature: [] }], [limitBody(512 * KiB)], ["invalid_signature", "payload_too_large"]),
};
