import type Stripe from "stripe";

export type StripeSdk = typeof Stripe;

let sdk: Promise<StripeSdk> | undefined;

/**
 * The Stripe SDK, imported on first use: its module scope (~290 KiB, every API resource) is paid by
 * the first checkout, event or webhook of an isolate, never by the start or by a request that does
 * not talk to Stripe (validate, activate, status...). The bundle keeps it, evaluated lazily.
 */
export function loadStripeSdk(): Promise<StripeSdk> {
  sdk ??= import("stripe").then((m) => m.default);
  return sdk;
}
