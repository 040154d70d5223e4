import type Stripe from "stripe";
import type { Config } from "../../config";
import { loadStripeSdk } from "./sdk";

/** Pinned on purpose: webhook payload shapes follow the dashboard endpoint's version, which must match this. */
export const STRIPE_API_VERSION = "2026-10-28.endive" as const;

export type StripeClient = Stripe;

const clients = new WeakMap<Config, StripeClient>();

/** One client per isolate per config (config itself is parsed once per isolate), built on the first call to Stripe. */
export async function createStripeClient(config: Config): Promise<StripeClient> {
  const cached = clients.get(config);
  if (cached) return cached;
  const Stripe = await loadStripeSdk();
  const base = config.stripeApiBase;
  const client =
    clients.get(config) ??
    new Stripe(config.stripeSecretKey, {
      apiVersion: STRIPE_API_VERSION,
      // Workers have no Node http module: the SDK must go through fetch.
      httpClient: Stripe.createFetchHttpClient(),
      maxNetworkRetries: 1,
      ...(base
        ? {
            host: base.hostname,
            port: base.port || (base.protocol === "http:" ? 80 : 443),
            protocol: base.protocol === "http:" ? ("http" as const) : ("https" as const),
          }
        : {}),
    });
  clients.set(config, client);
  return client;
}
