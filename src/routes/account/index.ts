import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { billingPortal } from "./billing-portal";
import { checkoutSessions } from "./checkout-sessions";
import { subscriptionStatus } from "./subscription-status";

/** The desktop app's account endpoints; each route carries the Logto middleware itself, so nothing else is gated. */
export const account = new Hono<AppEnv>().route("/", subscriptionStatus).route("/", checkoutSessions).route("/", billingPortal);
