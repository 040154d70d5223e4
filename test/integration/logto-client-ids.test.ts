// Issue 22 item 9: Logto tokens from our apps only. An access token for our API resource may come from any
// application of the tenant (another app, a machine-to-machine client): only the desktop apps' client ids
// (LOGTO_CLIENT_IDS) are customers.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bearer, signAccessToken, useLogto } from "../support/fakes/logto";
import { api, apiWithEnv, problemOf } from "../support/api";
import { expectProblem } from "../support/http";
import { liveEnv } from "../support/live-env";

/** GET /subscriptions/status with this bearer token, through `client` (the test Worker unless told). */
const status = (token: string, client = api) =>
  client.subscriptions.status.$get({ query: {} }, { headers: bearer(token) });
const newSub = () => `logto_${crypto.randomUUID().slice(0, 12)}`;

async function expectInvalidToken(answer: ReturnType<typeof status>) {
  const res = await problemOf(answer);
  expect(expectProblem(res, 401, "invalid_token").ok, JSON.stringify(res.json)).toBe(true);
  expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
}
/** Accepted: the token's user, who bought nothing, gets 404 no_subscription. */
const isAccepted = async (answer: ReturnType<typeof status>) =>
  expectProblem(await problemOf(answer), 404, "no_subscription").ok;

describe("LOGTO_CLIENT_IDS", () => {
  beforeEach(async () => {
    await useLogto();
  });
  afterEach(() => vi.restoreAllMocks());

  it("9: a token of another client id (another app, a machine-to-machine app) is 401 invalid_token; the log says why", async () => {
    const logs = vi.spyOn(console, "log");
    await expectInvalidToken(status(await signAccessToken({ sub: newSub(), client_id: "some-other-app" })));
    const m2m = "m2m-reporting-client";
    await expectInvalidToken(status(await signAccessToken({ sub: m2m, client_id: m2m })));
    expect(logs.mock.calls.map((a) => a.join(" ")).join("\n")).toContain('"reason":"client_not_allowed"');
  });

  it("9: a token without client_id, or with a non-string one, is 401 invalid_token", async () => {
    await expectInvalidToken(status(await signAccessToken({ sub: newSub(), client_id: undefined })));
    await expectInvalidToken(status(await signAccessToken({ sub: newSub(), client_id: ["desktop-app"] })));
  });

  it("9: a token of a configured client id is accepted (every id of the comma-separated list)", async () => {
    expect(await isAccepted(status(await signAccessToken({ sub: newSub() })))).toBe(true);
    const token = await signAccessToken({ sub: newSub(), client_id: "liste-desktop" });
    const env = { LOGTO_CLIENT_IDS: " desktop-app , liste-desktop ," } as Partial<Env>;
    expect(await isAccepted(status(token, apiWithEnv(env)))).toBe(true);
    // The same token under a configuration that does not list its client is refused (no stale cache hit).
    await expectInvalidToken(status(token, apiWithEnv({ LOGTO_CLIENT_IDS: "desktop-app" } as Partial<Env>)));
  });

  it("9: required in live mode: a live configuration without LOGTO_CLIENT_IDS refuses to serve (503 misconfigured, the log names it)", async () => {
    const errors = vi.spyOn(console, "error");
    for (const ids of [undefined, "", " , "]) {
      const res = await problemOf(apiWithEnv(liveEnv({ LOGTO_CLIENT_IDS: ids })).health.$get());
      expect(expectProblem(res, 503, "misconfigured").ok, `${JSON.stringify(ids)}: ${JSON.stringify(res.json)}`).toBe(
        true,
      );
    }
    expect(errors.mock.calls.map((a) => a.join(" ")).join("\n")).toContain("LOGTO_CLIENT_IDS");
    expect((await apiWithEnv(liveEnv({ LOGTO_CLIENT_IDS: "desktop-app" })).health.$get()).status).toBe(200);
  });
});
