// THREATS.md T1–T7: the Logto bearer token in front of the account endpoints, through the real worker.
// A token that passes authentication reaches GET /subscriptions/status and, for a user with nothing
// bought, gets 404 no_subscription: that is the "accepted" signal here.
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateKeyPair, SignJWT } from "jose";
import {
  bearer,
  generateForeignKey,
  primaryKey,
  publicKeyHmacToken,
  rotatedKey,
  signAccessToken,
  unsignedToken,
  useLogto,
} from "../support/fakes/logto";
import { insertCustomer, insertSubscription, randomSuffix } from "../support/factories";
import { api, apiWithEnv, expectStatus, problemOf } from "../support/api";

const newUser = () => `logto_${randomSuffix()}`;

/** GET /subscriptions/status with these request headers, through `client` (the test Worker unless told). */
const status = (headers: Record<string, string> = {}, client = api) =>
  client.subscriptions.status.$get({ query: {} }, { headers });
const withToken = (token: string, client = api) => status(bearer(token), client);

type StatusAnswer = Awaited<ReturnType<typeof status>>;

/** The answer is 401 invalid_token with a Bearer challenge; returns it read, for further checks. */
async function expectInvalidToken(answer: StatusAnswer | Promise<StatusAnswer>) {
  const res = await problemOf(answer);
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({
    status: 401,
    code: "invalid_token",
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  return res;
}

async function expectAccepted(answer: StatusAnswer | Promise<StatusAnswer>) {
  const res = await problemOf(answer);
  expect(res.json.code).toBe("no_subscription");
  expect(res.status).toBe(404);
}

/** A Logto tenant of its own (own JWKS cache in the worker, own hit counter), for tests that count fetches. */
async function isolatedLogto() {
  const endpoint = `https://tenant-${randomSuffix()}.logto.test`;
  const jwks = await useLogto(endpoint);
  const client = apiWithEnv({ LOGTO_ENDPOINT: endpoint });
  const get = (token: string) => withToken(token, client);
  return { endpoint, jwks, get };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Logto access tokens on the account endpoints", () => {
  it("accepts a genuine ES384 access token for this API", async () => {
    await useLogto();
    await expectAccepted(withToken(await signAccessToken({ sub: newUser() })));
  });

  it("answers for the token's sub: a user's subscription shows with their token", async () => {
    await useLogto();
    const customer = await insertCustomer();
    await insertSubscription({ customerId: customer.id });
    const res = await expectStatus(withToken(await signAccessToken({ sub: customer.logtoUserId! })), 200);
    expect(res.json.status).toBe("active");
  });

  it("no Authorization header: 401 with a bare Bearer challenge (RFC 6750 §3.1)", async () => {
    await useLogto();
    const res = await expectInvalidToken(status());
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("an invalid token's challenge names the error", async () => {
    await useLogto();
    const res = await expectInvalidToken(
      withToken(await signAccessToken({ sub: newUser(), aud: "https://other.api" })),
    );
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
  });

  it("other schemes and malformed headers are 401", async () => {
    await useLogto();
    const token = await signAccessToken({ sub: newUser() });
    for (const header of [
      `Basic ${btoa("a:b")}`,
      `Bearer`,
      `Bearer ${token} extra`,
      `Token ${token}`,
      `Bearer ${token}.x`,
    ]) {
      await expectInvalidToken(status({ Authorization: header }));
    }
  });

  describe("T1 forged signatures", () => {
    it("alg none is 401", async () => {
      await useLogto();
      await expectInvalidToken(withToken(unsignedToken({ sub: newUser() })));
      // Even with a signature part appended, the pinned algorithm list refuses it.
      await expectInvalidToken(withToken(`${unsignedToken({ sub: newUser() })}c2ln`));
    });

    it("HS256 keyed with the published public key is 401", async () => {
      await useLogto();
      await expectInvalidToken(withToken(await publicKeyHmacToken({ sub: newUser() })));
    });

    it("a stranger's ES384 key claiming the published kid is 401", async () => {
      await useLogto();
      const impostor = await generateForeignKey((await primaryKey()).kid);
      await expectInvalidToken(withToken(await signAccessToken({ sub: newUser() }, { key: impostor })));
    });

    it("a payload altered after signing is 401", async () => {
      await useLogto();
      const [h, , s] = (await signAccessToken({ sub: newUser() })).split(".");
      const forgedPayload = btoa(
        JSON.stringify({
          sub: "someone-else",
          iss: "https://logto.test/oidc",
          aud: "https://api.maximus.test",
          iat: 1,
          exp: 4102444800,
        }),
      )
        .replaceAll("=", "")
        .replaceAll("+", "-")
        .replaceAll("/", "_");
      await expectInvalidToken(withToken(`${h}.${forgedPayload}.${s}`));
    });
  });

  describe("T2 issuer, audience and token kind", () => {
    it("wrong issuer is 401", async () => {
      await useLogto();
      for (const iss of ["https://evil.test/oidc", "https://logto.test", "https://logto.test/oidc/"]) {
        await expectInvalidToken(withToken(await signAccessToken({ sub: newUser(), iss })));
      }
    });

    it("another API's token and an organization token are 401", async () => {
      await useLogto();
      for (const aud of [
        "https://other-api.maximus.test",
        "urn:logto:organization:org_123",
        ["https://other-api.maximus.test"],
      ]) {
        await expectInvalidToken(withToken(await signAccessToken({ sub: newUser(), aud })));
      }
    });

    it("an opaque token (requested without a resource) is 401, without fetching any key", async () => {
      const logto = await isolatedLogto();
      await expectInvalidToken(logto.get("hG1h3q9c0yJ2kVbQeN4mZ8xW5tR7uP6sL3aD0fG9jK2"));
      expect(logto.jwks.hits).toBe(0);
    });

    it("a token without sub, exp or iat is 401", async () => {
      await useLogto();
      for (const missing of ["exp", "iat"]) {
        await expectInvalidToken(withToken(await signAccessToken({ sub: newUser(), [missing]: undefined })));
      }
      const noSub = await signAccessToken({ sub: undefined as unknown as string });
      await expectInvalidToken(withToken(noSub));
    });
  });

  describe("T3 time claims", () => {
    const now = () => Math.floor(Date.now() / 1000);

    it("expired beyond the clock tolerance is 401", async () => {
      await useLogto();
      const token = await signAccessToken({ sub: newUser(), iat: now() - 3700, exp: now() - 120 });
      await expectInvalidToken(withToken(token));
    });

    it("expired within the small clock tolerance (≤ 60 s) still passes", async () => {
      await useLogto();
      const token = await signAccessToken({ sub: newUser(), iat: now() - 3610, exp: now() - 10 });
      await expectAccepted(withToken(token));
    });

    it("a token accepted once (and remembered by the isolate) is refused once it expires", async () => {
      await useLogto();
      // Expires before the cache entry would (60 s): the cache must honour exp, not only its own TTL.
      const token = await signAccessToken({ sub: newUser(), iat: now(), exp: now() + 20 });
      await expectAccepted(withToken(token));
      await expectAccepted(withToken(token));
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 55_000); // past exp and the 30 s tolerance, within the 60 s TTL
      await expectInvalidToken(withToken(token));
    });

    it("nbf in the future is 401", async () => {
      await useLogto();
      const token = await signAccessToken({ sub: newUser(), nbf: now() + 300 });
      await expectInvalidToken(withToken(token));
    });
  });

  describe("T4 key rotation and unknown kids", () => {
    it("a token signed with a newly rotated key: one JWKS refetch, then accepted", async () => {
      const logto = await isolatedLogto();
      await expectAccepted(logto.get(await signAccessToken({ sub: newUser() }, { endpoint: logto.endpoint })));
      expect(logto.jwks.hits).toBe(1);

      // Logto rotates later: the new key is published, tokens are signed with it.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 5 * 60_000);
      const rotated = await rotatedKey();
      logto.jwks.keys = [rotated.publicJwk, (await primaryKey()).publicJwk];
      const token = await signAccessToken({ sub: newUser() }, { endpoint: logto.endpoint, key: rotated });
      await expectAccepted(logto.get(token));
      expect(logto.jwks.hits).toBe(2);

      // Both keys are now cached: no further fetch for either.
      await expectAccepted(
        logto.get(await signAccessToken({ sub: newUser() }, { endpoint: logto.endpoint, key: rotated })),
      );
      await expectAccepted(logto.get(await signAccessToken({ sub: newUser() }, { endpoint: logto.endpoint })));
      expect(logto.jwks.hits).toBe(2);
    });

    it("a flood of random kids does not hammer the JWKS endpoint (cooldown)", async () => {
      const logto = await isolatedLogto();
      await expectAccepted(logto.get(await signAccessToken({ sub: newUser() }, { endpoint: logto.endpoint })));
      expect(logto.jwks.hits).toBe(1);

      const floodKeys = await Promise.all(Array.from({ length: 5 }, () => generateForeignKey()));
      for (let i = 0; i < 25; i++) {
        const token = await signAccessToken(
          { sub: newUser() },
          { endpoint: logto.endpoint, key: floodKeys[i % 5]!, header: { kid: `random-${randomSuffix()}` } },
        );
        await expectInvalidToken(logto.get(token));
      }
      await Promise.all(
        floodKeys.map(async (key) =>
          expectInvalidToken(logto.get(await signAccessToken({ sub: newUser() }, { endpoint: logto.endpoint, key }))),
        ),
      );
      expect(logto.jwks.hits).toBe(1);

      // After the cooldown, one more unknown kid may refetch once, and only once.
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 31_000);
      for (let i = 0; i < 10; i++) {
        await expectInvalidToken(
          logto.get(
            await signAccessToken(
              { sub: newUser() },
              { endpoint: logto.endpoint, key: floodKeys[0]!, header: { kid: `random-${i}` } },
            ),
          ),
        );
      }
      expect(logto.jwks.hits).toBe(2);
    });
  });

  describe("T5 Logto's JWKS unreachable", () => {
    async function expectUnavailable(mode: "network_error" | "server_error" | "hang") {
      const logto = await isolatedLogto();
      logto.jwks.mode = mode;
      const res = await problemOf(logto.get(await signAccessToken({ sub: newUser() }, { endpoint: logto.endpoint })));
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.json).toMatchObject({ status: 503, code: "unavailable" });
      expect(res.headers.get("retry-after")).toBeTruthy();
      expect(res.headers.get("www-authenticate")).toBeNull();
      expect(logto.jwks.hits).toBeGreaterThanOrEqual(1);
      return logto;
    }

    it("network error: 503 unavailable, never 200 or 401", async () => {
      await expectUnavailable("network_error");
    });

    it("HTTP 500 from the JWKS endpoint: 503 unavailable", async () => {
      const logto = await expectUnavailable("server_error");
      // Once Logto is back, the same kind of token passes.
      logto.jwks.mode = "ok";
      await expectAccepted(logto.get(await signAccessToken({ sub: newUser() }, { endpoint: logto.endpoint })));
    });

    it("JWKS request that never answers: 503 after the fetch timeout", async () => {
      await expectUnavailable("hang");
    });

    it("JWKS that is not a key set: 503", async () => {
      const logto = await isolatedLogto();
      logto.jwks.keys = "not-a-key-set" as never;
      const res = await problemOf(logto.get(await signAccessToken({ sub: newUser() }, { endpoint: logto.endpoint })));
      expect(res.status).toBe(503);
      expect(res.json.code).toBe("unavailable");
    });
  });

  describe("T6 license keys and leases are not access tokens", () => {
    async function licenseJwt(typ: string) {
      const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tier: "base", machine: "m".repeat(20) })
        .setProtectedHeader({ alg: "EdDSA", typ, kid: "test-current" })
        .setIssuer("https://licenses.maximus.test")
        .setSubject(`lic_${randomSuffix()}`)
        .setAudience("simpl-resultat")
        .setIssuedAt(now)
        .setExpirationTime(now + 86_400)
        .setJti(crypto.randomUUID())
        .sign(privateKey);
    }

    it("a license key (SR-BASE-<EdDSA JWT>) as the bearer token is 401", async () => {
      const logto = await isolatedLogto();
      await expectInvalidToken(logto.get(`SR-BASE-${await licenseJwt("JWT")}`));
      expect(logto.jwks.hits).toBe(0);
    });

    it("the bare license JWT and a lease JWT are 401", async () => {
      await useLogto();
      await expectInvalidToken(withToken(await licenseJwt("JWT")));
      await expectInvalidToken(withToken(await licenseJwt("lease+jwt")));
    });

    it("the other way round: a Logto access token is no license key for activate or validate", async () => {
      await useLogto();
      const logtoToken = await signAccessToken({
        sub: newUser(),
        aud: "simpl-resultat",
        iss: "https://licenses.maximus.test",
      });
      for (const key of [logtoToken, `SR-BASE-${logtoToken}`]) {
        const validate = await expectStatus(api.licenses.validate.$post({ header: {}, json: { key } }), 200);
        expect(validate.json).toMatchObject({ valid: false, code: "invalid", license: null });
        const activate = await problemOf(
          api.licenses.activate.$post({ header: {}, json: { key, machine_id: `machine-${randomSuffix()}` } }),
        );
        expect(activate.status).toBe(401);
        expect(activate.json.code).toBe("invalid_license");
      }
    });

    it("a token typed as a lease is 401 even when Logto's key signed it", async () => {
      await useLogto();
      const token = await signAccessToken({ sub: newUser() }, { header: { typ: "lease+jwt" } });
      await expectInvalidToken(withToken(token));
    });
  });

  describe("T7 oversized Authorization header", () => {
    it("is 401 before any parsing, key fetch or crypto", async () => {
      const logto = await isolatedLogto();
      const genuine = await signAccessToken(
        { sub: newUser(), padding: "x".repeat(9 * 1024) },
        { endpoint: logto.endpoint },
      );
      expect(genuine.length).toBeGreaterThan(8 * 1024);
      await expectInvalidToken(logto.get(genuine));
      await expectInvalidToken(logto.get(`${"a".repeat(6000)}.${"b".repeat(6000)}.${"c".repeat(100)}`));
      expect(logto.jwks.hits).toBe(0);
    });
  });
});
