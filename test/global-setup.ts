// Runs in Node before the workers start: a throwaway PostgreSQL (or TEST_DATABASE_URL), migrated once,
// behind the local Neon HTTP endpoint; plus two signing keys (current, retired) for the run.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

// Vite may resolve these to browser stubs: load the Node builds explicitly.
const require = createRequire(import.meta.url);

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    neonHttpEndpoint: string;
    signingKeys: string;
    retiredSigningKey: string;
  }
}

async function generateKey(kid: string) {
  const { webcrypto } = require("node:crypto") as typeof import("node:crypto");
  // Node's WebCrypto types differ from the Workers ones this project compiles against: typed here by what this uses.
  const subtle = webcrypto.subtle as unknown as {
    generateKey(algorithm: { name: "Ed25519" }, extractable: true, usages: string[]): Promise<{ privateKey: unknown }>;
    exportKey(format: "jwk", key: unknown): Promise<{ kty?: string; crv?: string; x?: string; d?: string }>;
  };
  const { privateKey } = await subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const jwk = await subtle.exportKey("jwk", privateKey);
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d, kid, alg: "EdDSA" };
}

export default async function setup(project: TestProject) {
  const { startLocalStack } = await import("../tools/local-stack/local-stack.mjs");
  const dataDir = mkdtempSync(join(tmpdir(), "maximus-test-pg-"));
  const stack = await startLocalStack({
    dataDir,
    databaseUrl: process.env.TEST_DATABASE_URL,
    persistent: false,
  });
  const current = await generateKey("test-current");
  const retired = await generateKey("test-retired");
  project.provide("databaseUrl", stack.databaseUrl);
  project.provide("neonHttpEndpoint", stack.endpointUrl);
  project.provide("signingKeys", JSON.stringify([current, retired]));
  project.provide("retiredSigningKey", JSON.stringify(retired));

  return async () => {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
