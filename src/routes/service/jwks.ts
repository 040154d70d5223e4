import { createRoute, z } from "@hono/zod-openapi";
import { namedSchema } from "../../openapi/named-schemas";
import { problemResponses } from "../../openapi/problem-responses";
import { loadKeyring } from "../../lib/licensing/keyring";
import { createRouter, jsonResponse } from "../_shared/declare";
import { GATES } from "../_shared/gates";

const JwksResponse = namedSchema(
  "JwksResponse",
  z.object({
    keys: z.array(
      z.object({
        kty: z.literal("OKP"),
        crv: z.literal("Ed25519"),
        x: z.string(),
        kid: z.string(),
        alg: z.literal("EdDSA"),
        use: z.literal("sig"),
      }),
    ),
  }),
);

const jwksRoute = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  operationId: "getJwks",
  tags: ["Service"],
  summary: "Public keys that verify license keys and leases",
  description: "The signing key and every retired key that still verifies. `Cache-Control: public, max-age=300`.",
  ...GATES.public.route,
  responses: {
    200: jsonResponse("The JSON Web Key Set.", JwksResponse),
    ...problemResponses(...GATES.public.errors),
  },
});

/** Public halves of every configured signing key: the current one and the retired ones still verifying. */
export const getJwks = createRouter().openapi(jwksRoute, async (c) => {
  const { publicJwks } = await loadKeyring(c.get("ctx").config.signingKeysJson);
  c.header("Cache-Control", "public, max-age=300");
  return c.json({ keys: publicJwks }, 200);
});
