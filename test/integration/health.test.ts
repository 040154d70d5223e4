import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { call } from "../support/http";

describe("GET /health", () => {
  it("answers 200 ok when the database answers", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok" });
  });

  it("answers 503 unavailable when the database does not", async () => {
    const app = createApp();
    // Same app and driver, pointed at a port where no PostgreSQL listens.
    const downEnv = { ...env, DATABASE_URL: "postgresql://postgres:postgres@127.0.0.1:1/maximus" };
    const res = await app.fetch(new Request("http://maximus.test/health"), downEnv, createExecutionContext());
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 503, code: "unavailable" });
    expect(JSON.stringify(body)).not.toContain("postgres:postgres");
  });
});
