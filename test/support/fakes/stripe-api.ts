// The fake Stripe API (tools/fakes/stripe-api.mjs, shared with the bench) mounted in msw at the test
// bindings' STRIPE_API_BASE. One world per test: what Stripe knows, and every call the service made.
import { createStripeWorld, stripeApi, type StripeWorld } from "../../../tools/fakes/stripe-api.mjs";
import { TEST_STRIPE_API_BASE } from "../../bindings";
import { mount, server } from "../msw";

export type { StripeWorld } from "../../../tools/fakes/stripe-api.mjs";
export {
  fakeCheckoutSession,
  formObject,
  requestsTo,
  stripeNotFound,
} from "../../../tools/fakes/stripe-api.mjs";

/** A new world served for the current test; `lookupKeys` are the prices on sale. */
export function useStripe(options: { lookupKeys?: string[] } = {}): StripeWorld {
  const world = createStripeWorld(options);
  server.use(mount(TEST_STRIPE_API_BASE, stripeApi(world)));
  return world;
}
