// A fake's fetch-style handler as a real HTTP server on 127.0.0.1, for what runs in Node (the bench,
// scripts): the same handler the tests mount in msw, so both see the same Stripe, Resend and Logto.
import http from "node:http";

/** @param {import("./respond.mjs").FakeHandler} handler @returns {Promise<{ origin: string; close(): Promise<void> }>} */
export async function serveFetch(handler) {
  const server = http.createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const origin = `http://${req.headers.host ?? "127.0.0.1"}`;
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const request = new Request(new URL(req.url ?? "/", origin), {
        method: req.method,
        headers: /** @type {Record<string, string>} */ (req.headers),
        body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
      });
      const response = await handler(request);
      if (!response) return send(res, new Response(JSON.stringify({ error: "no such route" }), { status: 404 }));
      // Response.error(): the connection drops, as an unreachable provider's would.
      if (response.type === "error") return void req.socket.destroy();
      await send(res, response);
    } catch (err) {
      if (!res.headersSent) await send(res, Response.json({ error: String(err) }, { status: 500 }));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/** @param {http.ServerResponse} res @param {Response} response */
async function send(res, response) {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), "content-length": body.length });
  res.end(body);
}
