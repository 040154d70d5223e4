// A signed-in console user for a test file: the Cloudflare Access stand-in (tools/fakes/cloudflare-access.mjs)
// serving the team's certs through msw, and the headers a browser sends with its token and forms.
import { http, HttpResponse } from "msw";
import { beforeAll, beforeEach } from "vitest";
import { createAccessStandIn } from "../../tools/fakes/cloudflare-access.mjs";
import { TEST_ACCESS_AUD, TEST_ACCESS_TEAM_DOMAIN, TEST_PUBLIC_ORIGIN } from "../bindings";
import { server } from "../support/msw";

type AccessStandIn = Awaited<ReturnType<typeof createAccessStandIn>>;

export const assertion = (token: string) => ({ "Cf-Access-Jwt-Assertion": token });

/** One stand-in per file (the worker caches the team's certs per isolate); call at the file's top level. */
export function useAccessStandIn() {
  const session = { access: undefined as unknown as AccessStandIn };
  beforeAll(async () => {
    session.access = await createAccessStandIn({ teamDomain: TEST_ACCESS_TEAM_DOMAIN, aud: TEST_ACCESS_AUD });
  });
  beforeEach(() => {
    server.use(
      http.get(`${TEST_ACCESS_TEAM_DOMAIN}/cdn-cgi/access/certs`, async ({ request }) => {
        const res = await session.access.handle(request);
        return res ? HttpResponse.json(await res.json()) : HttpResponse.error();
      }),
    );
  });
  return session;
}

/** What a browser sends with a console form: the token, its page's origin, the url-encoded fields. */
export const consoleForm = (token: string, fields: Record<string, string>, origin = TEST_PUBLIC_ORIGIN) => ({
  headers: { ...assertion(token), Origin: origin, "content-type": "application/x-www-form-urlencoded" },
  rawBody: new URLSearchParams(fields).toString(),
});
