// Floor for requests that do no I/O: the same Hono on the same runtime, answering at once. The bench
// sends it the very requests (method, headers, body size) it sends the endpoint it compares with it.
// With `x-bench-log: 1` it also writes one JSON log line, as the service's access log does: what a
// console.log costs in wrangler dev, measured next to the floor that writes none.
import { Hono } from "hono";

const app = new Hono();
app.all("*", async (c) => {
  const started = Date.now();
  if (c.req.method !== "GET") await c.req.text();
  if (c.req.header("x-bench-log") === "1") {
    const line = {
      level: "info",
      msg: "request",
      requestId: crypto.randomUUID(),
      method: c.req.method,
      path: c.req.path,
      status: 200,
    };
    console.log(JSON.stringify({ ...line, durationMs: Date.now() - started }));
  }
  return c.json({ ok: true });
});

export default app;
