// A local stand-in for Cloudflare Access (Web APIs only, so the same code answers in Node for
// `npm run dev` and inside workerd tests through msw). It serves what the Worker reads, in the shape
// Cloudflare documents ("Validate JWTs"):
//   GET  /cdn-cgi/access/certs   {keys: [current, previous] (RS256 JWKs), public_cert: {kid, cert},
//                                public_certs: [{kid, cert}, ...]}. The PEMs here are the public keys
//                                (SPKI), not X.509 certificates as Cloudflare's are: the Worker reads
//                                only `keys`.
//   GET  /cdn-cgi/access/login   a sign-in page (an email, no password): a local person "signs in".
//   POST /cdn-cgi/access/login   sets CF_Authorization (the token, HttpOnly, SameSite=Lax) and goes
//                                back to redirect_url, as Access does after its login.
//   GET  /cdn-cgi/access/token   not Cloudflare's: a bare token for curl and tests (?email= &aud= &iss=).
// Tokens carry Cloudflare's claims: aud (array), email, exp, iat, nbf, iss, type "app",
// identity_nonce, sub, country; header {alg: RS256, kid, typ: JWT}. Cookies ignore ports, so one set
// by this server on 127.0.0.1 reaches the console on 127.0.0.1 too.
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from "jose";

const TOKEN_LIFETIME_SEC = 24 * 3600;
export const DEFAULT_EMAIL = "support@maximus.local";

async function makeKey() {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const spki = await exportSPKI(publicKey);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(spki)));
  const kid = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  const jwk = { kid, ...(await exportJWK(publicKey)), alg: "RS256", use: "sig" };
  return { kid, privateKey, jwk, pem: spki };
}

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);

/**
 * `teamDomain`: the origin this stand-in answers on (the tokens' `iss`); `aud`: the application's AUD tag.
 * Two keys, like Access after a rotation: tokens are signed with the current one.
 */
export async function createAccessStandIn({ teamDomain, aud }) {
  const [current, previous] = await Promise.all([makeKey(), makeKey()]);

  const certs = () => ({
    keys: [current.jwk, previous.jwk],
    public_cert: { kid: current.kid, cert: current.pem },
    public_certs: [
      { kid: current.kid, cert: current.pem },
      { kid: previous.kid, cert: previous.pem },
    ],
  });

  /** An application token as Access issues it; any claim may be overridden (e.g. another `aud`). */
  function mint({ email = DEFAULT_EMAIL, claims = {}, key = current } = {}) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      aud: [aud],
      email,
      exp: now + TOKEN_LIFETIME_SEC,
      iat: now,
      nbf: now,
      iss: teamDomain,
      type: "app",
      identity_nonce: crypto.randomUUID().replaceAll("-", ""),
      sub: crypto.randomUUID(),
      country: "CA",
      ...claims,
    })
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
      .sign(key.privateKey);
  }

  const signInPage = (redirectUrl) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · local Cloudflare Access</title></head>
<body><main>
<h1>Local Cloudflare Access</h1>
<p>A stand-in for your team's Access login: the console trusts the email you enter here.</p>
<form method="post" action="/cdn-cgi/access/login">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" required value="${escapeHtml(DEFAULT_EMAIL)}">
  <input type="hidden" name="redirect_url" value="${escapeHtml(redirectUrl)}">
  <button type="submit">Sign in</button>
</form>
</main></body></html>`;

  const isHttpUrl = (value) => {
    try {
      return ["http:", "https:"].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  };

  /** The stand-in's answer to a request, or null for a path it does not serve. */
  async function handle(request) {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/cdn-cgi/access/certs") return Response.json(certs());
    if (request.method === "GET" && url.pathname === "/cdn-cgi/access/login") {
      const redirect = url.searchParams.get("redirect_url") ?? "";
      return new Response(signInPage(isHttpUrl(redirect) ? redirect : ""), {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    }
    if (request.method === "POST" && url.pathname === "/cdn-cgi/access/login") {
      const form = await request.formData();
      const email = String(form.get("email") ?? "").trim();
      const redirect = String(form.get("redirect_url") ?? "");
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) return new Response("an email is required", { status: 422 });
      const token = await mint({ email });
      return new Response(null, {
        status: 303,
        headers: {
          location: isHttpUrl(redirect) ? redirect : "/",
          "set-cookie": `CF_Authorization=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${TOKEN_LIFETIME_SEC}`,
        },
      });
    }
    if (request.method === "GET" && url.pathname === "/cdn-cgi/access/token") {
      const claims = {};
      if (url.searchParams.has("aud")) claims.aud = [url.searchParams.get("aud")];
      if (url.searchParams.has("iss")) claims.iss = url.searchParams.get("iss");
      const token = await mint({ email: url.searchParams.get("email") ?? DEFAULT_EMAIL, claims });
      return new Response(token, { headers: { "content-type": "text/plain" } });
    }
    return null;
  }

  return { teamDomain, aud, certs, mint, handle, keys: { current, previous } };
}
