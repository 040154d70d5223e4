import { createApp } from "./app";
import { createCtx } from "./context";
import type { Bindings } from "./env";
import { createLogger } from "./lib/logger";
import { consumeEvents } from "./queue/consumer";
import { consumeDeadLetters } from "./queue/dead-letters";
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
    ctx.waitUntil(runNightlyReconcile(createCtx(env, log)).then(() => undefined));
  },
} satisfies ExportedHandler<Bindings>;
