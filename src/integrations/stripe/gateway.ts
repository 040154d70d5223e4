import type Stripe from "stripe";
import type { Config } from "../../config";
import { UnavailableError, UpstreamRefusedError } from "../../errors";
import type { Logger } from "../../lib/logger";
import { createStripeClient, type StripeClient } from "./client";
import { idOf } from "./payload";
import { inPinnedVersion } from "./pinned-event";
import { loadStripeSdk, type StripeSdk } from "./sdk";
import { verifyStripeEvent, type WebhookVerification } from "./verify-webhook";

/**
 * The Stripe calls this service makes, behind one small interface. A failed call becomes a domain
 * error: Stripe down or throttling us is UnavailableError (retried), anything else UpstreamRefusedError.
 */
export interface StripeGateway {
  findActivePrice(lookupKey: string): Promise<Stripe.Price | null>;
  createCheckoutSession(params: Stripe.Checkout.SessionCreateParams): Promise<Stripe.Checkout.Session>;
  createBillingPortalSession(customer: string, returnUrl: string): Promise<{ url: string }>;
  /** Null when Stripe has no such session. */
  retrieveCheckoutSession(id: string): Promise<Stripe.Checkout.Session | null>;
  listCheckoutLineItems(sessionId: string): Promise<Stripe.LineItem[]>;
  retrievePriceWithProduct(id: string): Promise<Stripe.Price>;
  retrieveSubscription(id: string): Promise<Stripe.Subscription>;
  /** The invoice a payment intent paid (since the 2025 API versions a charge names none). */
  findInvoiceOfPayment(paymentIntentId: string): Promise<Stripe.Invoice | null>;
  /** The subscription's newest paid invoice (a draft or open renewal paid nothing yet); null when none. */
  findLatestPaidInvoice(stripeSubscriptionId: string): Promise<Stripe.Invoice | null>;
  /** The payment intents that paid an invoice (its `payments`, when the payload did not expand them). */
  listInvoicePaymentIntents(invoiceId: string): Promise<string[]>;
  /** The event by id, its object re-read through the pinned client when Stripe rendered it in another version. */
  retrieveEvent(id: string): Promise<Stripe.Event>;
  verifyWebhook(rawBody: string, signatureHeader: string | undefined): Promise<WebhookVerification>;
}

const isNotFound = (sdk: StripeSdk, err: unknown) =>
  err instanceof sdk.errors.StripeError && (err.statusCode === 404 || err.code === "resource_missing");

/** Stripe down, slow or throttling us: the same call may succeed later. */
function isRetryable(sdk: StripeSdk, err: unknown): boolean {
  return (
    err instanceof sdk.errors.StripeConnectionError ||
    err instanceof sdk.errors.StripeRateLimitError ||
    err instanceof sdk.errors.StripeAPIError ||
    (err instanceof sdk.errors.StripeError && (err.statusCode ?? 0) >= 500)
  );
}

/** Building the gateway costs nothing: the SDK is imported, and its client built, on the first call (sdk.ts). */
export function createStripeGateway(config: Config, log: Logger): StripeGateway {
  async function call<T>(operation: string, run: (stripe: StripeClient, sdk: StripeSdk) => Promise<T>): Promise<T> {
    const sdk = await loadStripeSdk();
    const stripe = await createStripeClient(config);
    try {
      return await run(stripe, sdk);
    } catch (err) {
      if (!(err instanceof sdk.errors.StripeError)) throw err;
      // Message, type and request id only: Stripe errors also carry the raw request and response.
      const fields = {
        operation,
        type: err.type,
        stripeCode: err.code,
        status: err.statusCode,
        stripeRequestId: err.requestId,
        error: err.message,
      };
      if (isRetryable(sdk, err)) {
        log.warn("stripe unavailable", fields);
        throw new UnavailableError("The payment provider is unavailable. Please retry.");
      }
      log.error("stripe refused a request", fields);
      throw new UpstreamRefusedError("The payment provider refused the request.");
    }
  }
  return {
    findActivePrice: (lookupKey) =>
      call(
        "prices.list",
        async (stripe) =>
          (await stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 })).data[0] ?? null,
      ),
    createCheckoutSession: (params) =>
      call("checkout.sessions.create", (stripe) => stripe.checkout.sessions.create(params)),
    createBillingPortalSession: (customer, returnUrl) =>
      call("billingPortal.sessions.create", (stripe) =>
        stripe.billingPortal.sessions.create({ customer, return_url: returnUrl }),
      ),
    retrieveCheckoutSession: (id) =>
      call("checkout.sessions.retrieve", (stripe, sdk) =>
        stripe.checkout.sessions.retrieve(id).catch((err: unknown) => {
          if (isNotFound(sdk, err)) return null;
          throw err;
        }),
      ),
    listCheckoutLineItems: (sessionId) =>
      call(
        "checkout.sessions.listLineItems",
        async (stripe) =>
          (await stripe.checkout.sessions.listLineItems(sessionId, { expand: ["data.price.product"], limit: 10 })).data,
      ),
    retrievePriceWithProduct: (id) =>
      call("prices.retrieve", (stripe) => stripe.prices.retrieve(id, { expand: ["product"] })),
    retrieveSubscription: (id) => call("subscriptions.retrieve", (stripe) => stripe.subscriptions.retrieve(id)),
    findInvoiceOfPayment: (paymentIntentId) =>
      call("invoicePayments.list", async (stripe) => {
        const list = await stripe.invoicePayments.list({
          payment: { type: "payment_intent", payment_intent: paymentIntentId },
          // The list also holds open and canceled attempts: only a paid one says what the money paid for.
          status: "paid",
          expand: ["data.invoice"],
          limit: 1,
        });
        const invoice = list.data[0]?.invoice;
        return invoice && typeof invoice !== "string" ? (invoice as Stripe.Invoice) : null;
      }),
    findLatestPaidInvoice: (stripeSubscriptionId) =>
      call(
        "invoices.list",
        async (stripe) =>
          // Stripe lists invoices newest first.
          (await stripe.invoices.list({ subscription: stripeSubscriptionId, status: "paid", limit: 1 })).data[0] ??
          null,
      ),
    listInvoicePaymentIntents: (invoiceId) =>
      call("invoicePayments.list", async (stripe) =>
        (await stripe.invoicePayments.list({ invoice: invoiceId, status: "paid", limit: 10 })).data
          .map((p) => idOf(p.payment?.payment_intent))
          .filter((id): id is string => !!id),
      ),
    retrieveEvent: (id) =>
      call("events.retrieve", async (stripe) => inPinnedVersion(stripe, await stripe.events.retrieve(id))),
    verifyWebhook: (rawBody, signatureHeader) =>
      verifyStripeEvent(rawBody, signatureHeader, config.stripeWebhookSecrets, log),
  };
}
