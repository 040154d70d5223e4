import { loadConfig, type Config } from "./config";
import { createDb, type Db } from "./db/client";
import type { Bindings } from "./env";
import { createRateLimiters, type RateLimiters } from "./integrations/cloudflare/rate-limiters";
import { createLogtoVerifier, type LogtoVerifier } from "./integrations/logto/access-token";
import { createEmailSender, type EmailSender } from "./integrations/resend/email-sender";
import { createStripeGateway, type StripeGateway } from "./integrations/stripe/gateway";
import { systemClock, type Clock } from "./lib/clock";
import type { Logger } from "./lib/logger";
import { createJobs, type Jobs } from "./queue/jobs";

/**
 * Everything a service may use, built once per request or per queue batch: config, database,
 * clock, log, and the ports to the outside (Stripe, email, Logto, the queue, the rate limiters). Nothing else reads `env`.
 */
export interface Ctx {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  stripe: StripeGateway;
  email: EmailSender;
  logto: LogtoVerifier;
  jobs: Jobs;
  limits: RateLimiters;
}

export function createCtx(env: Bindings, log: Logger): Ctx {
  const config = loadConfig(env);
  return {
    config,
    db: createDb(config.databaseUrl, config.neonHttpEndpoint),
    clock: systemClock,
    log,
    stripe: createStripeGateway(config, log),
    email: createEmailSender(config, log),
    logto: createLogtoVerifier(config),
    jobs: createJobs(env.EVENTS_QUEUE, env.RECOVERY_QUEUE),
    limits: createRateLimiters(env, config.rateLimitDisabled),
  };
}
