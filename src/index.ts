import { createApp } from "./app";
import { createCtx } from "./context";
import type { Bindings } from "./env";
import { createLogger } from "./lib/logger";
import { consumeEvents } from "./queue/consumer";
import { consumeDeadLetters } from "./queue/dead-letters";
import { applyRetention } from "./services/privacy/apply-retention";
import { runNightlyReconcile } from "./services/stripe-events/nightly-reconcile";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(batch, env);
    return consumeEvents(batch, env, env.EVENTS_DLQ);
  },
  async scheduled(controller, env, ctx) {
    const log = createLogger({ cron: controller.cron });
    const appCtx = createCtx(env, log);
    // Retention counts from the run's scheduled time, so a test moves the clock by scheduling it later.
    const now = new Date(controller.scheduledTime);
    ctx.waitUntil(Promise.all([runNightlyReconcile(appCtx), applyRetention(appCtx, now)]).then(() => undefined));
  },
} satisfies ExportedHandler<Bindings>;
