// The nightly Cron Trigger (wrangler.toml `17 3 * * *`) as the runtime fires it, through the real
// scheduled handler; `scheduledTime` is the clock the run counts from (retention moves it forward).
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";

export async function runNightly(scheduledTime = Date.now()) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "17 3 * * *", scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
}
