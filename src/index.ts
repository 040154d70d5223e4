import type { Bindings } from "./env";
import { createLazyApp } from "./lazy-app";

// Module scope is paid by the first request of every isolate: only the front router is built here,
// and each handler imports what it runs on first use (the bundle keeps it all, evaluated lazily).
const app = createLazyApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  async queue(batch, env, _ctx) {
    if (batch.queue.endsWith("-dlq")) return (await import("./queue/dead-letters")).consumeDeadLetters(batch, env);
    return (await import("./queue/consumer")).consumeEvents(batch, env, env.EVENTS_DLQ);
  },
  async scheduled(controller, env, ctx) {
    const [{ createCtx }, { createLogger }, { runNightlyReconcile }, { applyRetention }] = await Promise.all([
      import("./context"),
      import("./lib/logger"),
      import("./services/stripe-events/nightly-reconcile"),
      import("./services/privacy/apply-retention"),
    ]);
    const log = createLogger({ cron: controller.cron });
    const appCtx = createCtx(env, log);
    // Retention counts from the run's scheduled time, so a test moves the clock by scheduling it later.
    const now = new Date(controller.scheduledTime);
    ctx.waitUntil(Promise.all([runNightlyReconcile(appCtx), applyRetention(appCtx, now)]).then(() => undefined));
  },
} satisfies ExportedHandler<Bindings>;
