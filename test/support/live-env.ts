// Bindings of a live deployment, for the checks only live mode runs (issues 12, 22, 28).

/** A live Stripe key with everything live mode requires set safely (LOGTO_CLIENT_IDS as the test bindings have it). */
export const SAFE_LIVE = {
  STRIPE_SECRET_KEY: "sk_live_only_a_test_value",
  STRIPE_LIVEMODE: undefined,
  INTERNAL_API_KEYS: "ops:live-internal-key-0123456789abcdefghij",
  CHECKOUT_SUCCESS_URL: "https://maximus.test/ok?session_id={CHECKOUT_SESSION_ID}",
  CHECKOUT_CANCEL_URL: "https://maximus.test/cancel",
  BILLING_PORTAL_RETURN_URL: "https://maximus.test/account",
};

/** Overrides as a misconfigured deployment has them (removed keys, values of no Env type), cast here once. */
export const asEnv = (over: Record<string, unknown>) => over as unknown as Partial<Env>;

/** The safe live bindings with some replaced or removed. */
export const liveEnv = (over: Record<string, unknown> = {}) => asEnv({ ...SAFE_LIVE, ...over });
