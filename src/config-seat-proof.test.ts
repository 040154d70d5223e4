import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

// Issue 27: the DPoP settings, in their own file beside config.test.ts.
const load = (over: Record<string, unknown>) => loadConfig({ ...env, ...over } as unknown as typeof env);
function refusedNames(over: Record<string, unknown>): string[] {
  try {
    load(over);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.variables;
    throw e;
  }
}

describe("PUBLIC_ORIGINS, SEAT_PROOF, DPOP_MAX_AGE_SECONDS", () => {
  it("reads origins normalised, and the defaults optional and 60 s", () => {
    const c = load({
      PUBLIC_ORIGINS: " https://API.maximus.example/ , http://127.0.0.1:8787",
      SEAT_PROOF: undefined,
      DPOP_MAX_AGE_SECONDS: undefined,
    });
    expect(c.publicOrigins).toEqual(["https://api.maximus.example", "http://127.0.0.1:8787"]);
    expect(c.seatProof).toBe("optional");
    expect(c.dpopMaxAgeSec).toBe(60);
    expect(load({ SEAT_PROOF: "required" }).seatProof).toBe("required");
  });

  it("refuses what is not an origin, an unknown SEAT_PROOF, and no PUBLIC_ORIGINS in live mode", () => {
    expect(refusedNames({ PUBLIC_ORIGINS: "https://api.maximus.example/licenses" })).toEqual(["PUBLIC_ORIGINS"]);
    expect(refusedNames({ PUBLIC_ORIGINS: "api.maximus.example" })).toEqual(["PUBLIC_ORIGINS"]);
    expect(refusedNames({ SEAT_PROOF: "sometimes" })).toEqual(["SEAT_PROOF"]);
    // A live key (STRIPE_LIVEMODE may no longer contradict the key's prefix).
    const live = { STRIPE_SECRET_KEY: "sk_live_only_a_test_value", STRIPE_LIVEMODE: undefined };
    expect(refusedNames({ ...live, PUBLIC_ORIGINS: undefined })).toContain("PUBLIC_ORIGINS");
    expect(refusedNames({ ...live, PUBLIC_ORIGINS: "https://api.maximus.example" })).not.toContain("PUBLIC_ORIGINS");
  });
});
