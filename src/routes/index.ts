import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { billingPortal } from "./billing/portal";
import { checkoutLicense } from "./checkout/license";
import { freeMachine } from "./account/free-machine";
import { listLicenses } from "./account/list-licenses";
import { startCheckout } from "./checkout/create-session";
import { subscriptionStatus } from "./subscriptions/status";
import { findLicenses } from "./admin/find-licenses";
import { reinstateLicense } from "./admin/reinstate-license";
import { replayStripeEvent } from "./admin/replay-event";
import { resetLicenseDeactivations } from "./admin/reset-deactivations";
import { listStripeEvents } from "./admin/list-events";
import { revokeLicense } from "./admin/revoke-license";
import { activateLicense } from "./licenses/activate";
import { deactivateLicense } from "./licenses/deactivate";
import { generateLicenseByHand } from "./licenses/generate";
import { recoverLicenses } from "./licenses/recover";
import { validateLicenseKey } from "./licenses/validate";
import { health } from "./service/health";
import { jwks } from "./service/jwks";
import { StripeEvent, stripeWebhook } from "./subscriptions/webhook";

/** Every operation; each router is one route file's createRoute and handler. */
export const ROUTERS = [
  health,
  jwks,
  stripeWebhook,
  generateLicenseByHand,
  activateLicense,
  validateLicenseKey,
  deactivateLicense,
  recoverLicenses,
  subscriptionStatus,
  startCheckout,
  billingPortal,
  checkoutLicense,
  listLicenses,
  freeMachine,
  findLicenses,
  revokeLicense,
  reinstateLicense,
  resetLicenseDeactivations,
  listStripeEvents,
  replayStripeEvent,
] satisfies OpenAPIHono<AppEnv>[];

/** Schemas a route refers to by `$ref` only (they are documented, not validated). */
export const REFERENCED_SCHEMAS = { StripeEvent };
