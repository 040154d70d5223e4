// Runs in Node before the workers start: a throwaway PostgreSQL (or TEST_DATABASE_URL), migrated once,
// behind the local Neon HTTP endpoint; plus two signing keys (current, retired) for the run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { generateSigningKey } from "../tools/keys/signing-key.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    neonHttpEndpoint: string;
    signingKeys: string;
    retiredSigningKey: string;
  }
}

export default async function setup(project: TestProject) {
  const { startLocalStack } = await import("../tools/local-stack/local-stack.mjs");
  const dataDir = mkdtempSync(join(tmpdir(), "maximus-test-pg-"));
  const stack = await startLocalStack({
    dataDir,
    databaseUrl: process.env.TEST_DATABASE_URL,
    persistent: false,
  });
  const current = await generateSigningKey("test-current");
  const retired = await generateSigningKey("test-retired");
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("neonHttpEndpoint", stack.endpointUrl);
  project.provide("signingKeys", JSON.stringify([current, retired]));
  project.provide("retiredSigningKey", JSON.stringify(retired));

  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
