// A local stand-in for the Logto tenant, for `npm run dev`: it publishes a JWKS at `/oidc/jwks`, as a
// Logto tenant does, and hands out access tokens shaped like Logto's (ES384, `typ: at+jwt`, `iss`
// `<endpoint>/oidc`, `aud` the API resource, `sub`, `client_id`, `scope`, `jti`, one hour) from
// `POST /dev/token` — the sign-in a desktop app would do, without a Logto account. Dev only: the key
// pair is made at start and never leaves this process.
import { createServer } from "node:http";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/**
 * @param {{ resource: string, clientIds: string[], port?: number }} o
 * @returns {Promise<{ endpoint: string, close: () => Promise<void> }>}
 */
export async function startLogtoStandIn(o) {
  const kid = `dev-${crypto.randomUUID().slice(0, 8)}`;
  const { privateKey, publicKey } = await generateKeyPair("ES384");
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES384", use: "sig" };
  let endpoint = "";

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/oidc/jwks") return send(200, { keys: [publicJwk] });
    if (req.method === "POST" && url.pathname === "/dev/token") {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      /** @type {{ sub?: string, client_id?: string, scope?: string }} */
      let body = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        return send(400, { error: "invalid_request", error_description: "body is not JSON" });
      }
      const sub = body.sub ?? `dev-user-${crypto.randomUUID().slice(0, 8)}`;
      const now = Math.floor(Date.now() / 1000);
      const accessToken = await new SignJWT({
        client_id: body.client_id ?? o.clientIds[0] ?? "dev-desktop-app",
        scope: body.scope ?? "",
      })
        .setProtectedHeader({ alg: "ES384", typ: "at+jwt", kid })
        .setIssuer(`${endpoint}/oidc`)
        .setAudience(o.resource)
        .setSubject(sub)
        .setJti(crypto.randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(privateKey);
      return send(200, { access_token: accessToken, token_type: "Bearer", expires_in: 3600, sub });
    }
    return send(404, { error: "not_found" });
  });
  await new Promise((resolve) => server.listen(o.port ?? 0, "127.0.0.1", resolve));
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    close: () => {
      server.closeAllConnections(); // workerd keeps its connections alive: close would wait for them
      return new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
