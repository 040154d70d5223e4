import { Hono } from "hono";
import type { AppEnv } from "./env";
import { accessLog } from "./middleware/access-log";
import { limitBody } from "./middleware/body-limit";
import { onError, onNotFound } from "./middleware/error-handler";
import { requestId } from "./middleware/request-id";
import { limitByClientIp } from "./middleware/rate-limit";
import { services } from "./middleware/services";
import { account } from "./routes/account";
import { admin } from "./routes/admin";
import { health } from "./routes/health";
import { openApi } from "./routes/openapi";
import { activateLicenseRoute } from "./routes/licenses/activate";
import { deactivateLicenseRoute } from "./routes/licenses/deactivate";
import { generateLicenseRoute } from "./routes/licenses/generate";
import { validateLicenseRoute } from "./routes/licenses/validate";
import { stripeWebhook } from "./routes/subscriptions/webhook";
import { wellKnown } from "./routes/well-known";

const KiB = 1024;

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(requestId);
  app.use(accessLog);
  // Stripe events can be large (expanded objects); nothing else we accept needs more than 16 KiB.
  app.use("/subscriptions/webhook", limitBody(512 * KiB));
  app.use("*", async (c, next) => (c.req.path === "/subscriptions/webhook" ? next() : limitBody(16 * KiB)(c, next)));
  app.use(services);
  // Per client IP before any work; the license endpoints add a per-license limit once the key verifies.
  app.use(limitByClientIp);

  app.route("/", health);
  app.route("/", wellKnown);
  app.route("/", generateLicenseRoute);
  app.route("/", activateLicenseRoute);
  app.route("/", validateLicenseRoute);
  app.route("/", deactivateLicenseRoute);
  app.route("/", account);
  app.route("/", stripeWebhook);
  app.route("/", admin);
  app.route("/", openApi);

  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
