import { Hono } from "hono";
import type { AppEnv } from "../env";
import { loadKeyring } from "../lib/licensing/keyring";

/** Public halves of every configured signing key: the current one and the retired ones still verifying. */
export const wellKnown = new Hono<AppEnv>().get("/.well-known/jwks.json", async (c) => {
  const { publicJwks } = await loadKeyring(c.get("services").config.signingKeysJson);
  c.header("Cache-Control", "public, max-age=300");
  return c.json({ keys: publicJwks });
});
