import type Stripe from "stripe";
import type { Logger } from "../../lib/logger";
import { clip } from "../../lib/text";
import { loadStripeSdk } from "./sdk";

let webhookVerifier: Promise<{ verifier: Stripe; cryptoProvider: Stripe.CryptoProvider }> | undefined;

/** Built on the first webhook of an isolate. Verification needs no API key; the SDK's webhook helper lives on an instance. */
function loadWebhookVerifier() {
  webhookVerifier ??= loadStripeSdk().then((sdk) => ({
    cryptoProvider: sdk.createSubtleCryptoProvider(),
    verifier: new sdk("sk_verify_only", { httpClient: sdk.createFetchHttpClient() }),
  }));
  return webhookVerifier;
}

export type WebhookVerification = { ok: true; event: Stripe.Event } | { ok: false; detail: string };

/**
 * Verifies the raw body against each configured secret (comma-separated while rolling), with
 * Stripe's default 300 s tolerance. Logs the failure by message only: the SDK's error carries the
 * signature header and the payload.
 */
export async function verifyStripeEvent(
  rawBody: string,
  signatureHeader: string | undefined,
  secrets: string[],
  log: Logger,
): Promise<WebhookVerification> {
  if (!signatureHeader || signatureHeader.length > 4096) {
    log.warn("webhook rejected", {
      reason: signatureHeader ? "signature header too long" : "no Stripe-Signature header",
    });
    return { ok: false, detail: "The Stripe-Signature header is missing or malformed." };
  }
  let lastReason = "no webhook secret configured";
  const { verifier, cryptoProvider } = await loadWebhookVerifier();
  for (const secret of secrets) {
    try {
      return {
        ok: true,
        event: await verifier.webhooks.constructEventAsync(rawBody, signatureHeader, secret, undefined, cryptoProvider),
      };
    } catch (err) {
      lastReason = err instanceof Error ? clip(err.message.split("\n", 1)[0] ?? "", 200) : "verification failed";
    }
  }
  log.warn("webhook rejected", { reason: lastReason });
  return { ok: false, detail: "The Stripe signature could not be verified." };
}
