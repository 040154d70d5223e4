// The bundle as deployed (`wrangler deploy --dry-run`): its size, and what weighs in it.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { KiB } from "./settings.mjs";
import { loadSourceMap } from "./sourcemap.mjs";

function bundleFile(dir) {
  const main = readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .map((f) => join(dir, f));
  return main.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

/** @param {{ tmp: string; runCommand: (name: string, args: string[]) => Promise<string> }} workspace */
export async function measureBundle({ tmp, runCommand }) {
  const outdir = join(tmp, "bundle");
  const output = await runCommand("wrangler-deploy-dry-run", ["wrangler", "deploy", "--dry-run", "--outdir", outdir]);
  const file = bundleFile(outdir);
  const code = readFileSync(file);
  const wranglerSays = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output);
  const sourceMap = existsSync(`${file}.map`) ? loadSourceMap(readFileSync(`${file}.map`, "utf8")) : null;
  // Our own files as one part; each package on its own.
  const parts =
    sourceMap?.weigh(code.toString("utf8"), (section) => (section.startsWith("src/") ? "src/ (ours)" : section)) ?? [];
  return {
    file,
    sourceMap,
    rawKiB: code.length / KiB,
    gzipKiB: gzipSync(code).length / KiB,
    wranglerReported: wranglerSays ? { rawKiB: Number(wranglerSays[1]), gzipKiB: Number(wranglerSays[2]) } : null,
    minified: !code.subarray(0, 4096).includes("\n// "),
    largest: parts.sort((a, b) => b.gzipKiB - a.gzipKiB).slice(0, 8),
  };
}

/**
 * A floor worker bundled the way the service is (`wrangler deploy --dry-run`, minified): the bundle
 * the startup and cold measures start, so that its figures and the service's come from alike builds.
 */
export async function buildFloorBundle({ tmp, runCommand }, name, config) {
  const outdir = join(tmp, `bundle-${name}`);
  await runCommand(`floor-${name}-dry-run`, [
    "wrangler",
    "deploy",
    "--dry-run",
    "-c",
    config,
    "--minify",
    "--outdir",
    outdir,
  ]);
  const file = bundleFile(outdir);
  const code = readFileSync(file);
  return { file, rawKiB: code.length / KiB, gzipKiB: gzipSync(code).length / KiB };
}
