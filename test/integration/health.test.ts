import { describe, expect, it } from "vitest";
import { api, apiWithEnv, expectStatus, problemOf } from "../support/api";

describe("GET /health", () => {
  it("answers 200 ok when the database answers", async () => {
    const res = await expectStatus(api.health.$get(), 200);
    expect(res.json).toEqual({ status: "ok" });
  });

  it("answers 503 unavailable when the database does not", async () => {
    // Same app and driver, pointed at a port where no PostgreSQL listens. (DATABASE_URL is a secret: typed by
    // Cloudflare.Env, src/env.ts, not by the Env `wrangler types` writes, which apiWithEnv takes a part of.)
    const downDatabase: Partial<Cloudflare.Env> = {
      DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:1/maximus",
    };
    const down = apiWithEnv(downDatabase);
    const res = await problemOf(down.health.$get());
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.json).toMatchObject({ status: 503, code: "unavailable" });
    expect(JSON.stringify(res.json)).not.toContain("postgres:postgres");
  });
});
