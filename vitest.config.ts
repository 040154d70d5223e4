import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { testBindings } from "./test/bindings.ts";

export default defineConfig({
  plugins: [
    cloudflareTest(async ({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: testBindings({
          databaseUrl: inject<string>("databaseUrl"),
          neonHttpEndpoint: inject<string>("neonHttpEndpoint"),
          signingKeys: inject<string>("signingKeys"),
        }),
      },
    })),
  ],
  test: {
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/support/setup.ts"],
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // The first request of each file loads the worker's modules (2–7 s on 2 cores).
    testTimeout: 20_000,
    // The service logs one JSON line per request and event: show them only for failing tests.
    silent: "passed-only",
    hookTimeout: 30_000,
  },
});
