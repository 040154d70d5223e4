import { createApp } from "./app";
import type { Bindings } from "./env";
import { consumeEvents } from "./queue/consumer";
import { consumeDeadLetters } from "./queue/dead-letters";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(batch, env);
    return consumeEvents(batch, env, env.EVENTS_DLQ);
  },
} satisfies ExportedHandler<Bindings>;
