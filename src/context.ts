import { loadConfig, type Config } from "./config";
import { createDb, type Db } from "./db/client";
import type { Bindings } from "./env";
import { systemClock, type Clock } from "./lib/clock";
import type { Logger } from "./lib/logger";
import { createStripeClient } from "./stripe/client";
import type Stripe from "stripe";
import { createEmailSender, type EmailSender } from "./lib/email";

/** Everything a service function may use. Built once per request or per queue batch; never read from `env` elsewhere. */
export interface Ctx {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  env: Bindings;
  stripe: Stripe;
  /** The events queue: Stripe events and email sends. */
  queue: Queue;
  email: EmailSender;
}

export function createCtx(env: Bindings, log: Logger): Ctx {
  const config = loadConfig(env);
  return {
    config,
    db: createDb(config.databaseUrl, config.neonHttpEndpoint),
    clock: systemClock,
    log,
    env,
    stripe: createStripeClient(config),
    queue: env.EVENTS_QUEUE,
    email: createEmailSender(config, log),
  };
}
