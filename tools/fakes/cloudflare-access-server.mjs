// The Access stand-in (cloudflare-access.mjs) on a local port, for `npm run dev`, the browser test
// and curl. `signInUrl(consoleUrl)` is the link `npm run dev` prints.
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { createAccessStandIn } from "./cloudflare-access.mjs";

/** A dev AUD tag (64 hex characters, as Access's are); anyone can read it, which is fine for a local stand-in. */
export const DEV_ACCESS_AUD = "de70000000000000000000000000000000000000000000000000000000000001";

export async function startAccessStandIn({ host = "127.0.0.1", port = 0, aud = DEV_ACCESS_AUD } = {}) {
  let standIn = null;
  const server = createServer(async (req, res) => {
    try {
      const url = `http://${req.headers.host ?? host}${req.url}`;
      const body = req.method === "GET" || req.method === "HEAD" ? undefined : Readable.toWeb(req);
      const request = new Request(url, { method: req.method, headers: req.headers, body, duplex: "half" });
      const answer = (await standIn.handle(request)) ?? new Response("not found", { status: 404 });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (err) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err?.message ?? err));
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const teamDomain = `http://${host}:${server.address().port}`;
  standIn = await createAccessStandIn({ teamDomain, aud });
  return {
    teamDomain,
    aud,
    mint: standIn.mint,
    signInUrl: (consoleUrl) => `${teamDomain}/cdn-cgi/access/login?redirect_url=${encodeURIComponent(consoleUrl)}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
