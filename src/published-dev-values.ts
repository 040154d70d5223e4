/**
 * The dev-only secrets published in `.dev.vars.example` (anyone can read them, so anyone could sign
 * licenses or call the support API with them). A live deployment refuses to start with any of them;
 * a test keeps this list equal to the file.
 */
export const PUBLISHED_DEV_VALUES = {
  STRIPE_WEBHOOK_SECRET: "whsec_dev_only_local_webhook_secret",
  INTERNAL_API_KEYS: "dev-only-internal-key",
  /** The public (`x`) and private (`d`) halves of the dev Ed25519 signing key. */
  LICENSE_SIGNING_KEY_X: "FDjTyKkg8WJ1wJtaYWQttrVZ1wUAzBnbyx3EOCvmums",
  LICENSE_SIGNING_KEY_D: "5jqdFRFFLV0fjS4xSjF8buiymQfI5e9Itu1Bxw8k3iw",
} as const;
