// A URL names its file (docs/architecture.md): under src/routes/, the folder is the path's first
// segment and the file is the operation. dependency-cruiser sees imports, not createRoute paths, so
// this reads each route file's declarations. Usage: node lint/route-files.mjs [routes-dir]
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = process.argv[2] ?? "src/routes";
// Helpers that are not a URL (declare.ts, shared fields and views) live here; the router list and
// the Worker's on-demand table of them too.
const NOT_URLS = new Set(["_shared", "index.ts", "on-demand.ts"]);
// The service's own well-known and meta URLs: they share routes/service/ rather than a folder each.
const SERVICE_FOLDER = "service";
const SERVICE_SEGMENTS = new Set([".well-known", "health", "docs", "openapi.json"]);

const words = (s) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
const sameWord = (a, b) => a === b || `${a}s` === b || a === `${b}s`;

function declarations(text) {
  const out = [];
  for (const m of text.matchAll(/createRoute\(\{/g)) {
    const rest = text.slice(m.index);
    const path = /\bpath:\s*"([^"]+)"/.exec(rest)?.[1];
    const operationId = /\boperationId:\s*"([^"]+)"/.exec(rest)?.[1];
    if (path && operationId) out.push({ path, operationId });
  }
  return out;
}

const problems = [];
for (const folder of readdirSync(ROOT, { withFileTypes: true })) {
  if (NOT_URLS.has(folder.name)) continue;
  if (!folder.isDirectory()) {
    problems.push(`${join(ROOT, folder.name)}: route files sit in a folder named after their path's first segment.`);
    continue;
  }
  for (const name of readdirSync(join(ROOT, folder.name))) {
    if (!/\.tsx?$/.test(name) || name.endsWith(".test.ts")) continue;
    const file = join(ROOT, folder.name, name);
    const shown = relative(process.cwd(), file);
    const text = readFileSync(file, "utf8");
    const decls = declarations(text);
    if (decls.length === 0) {
      problems.push(
        `${shown}: declares no createRoute with a path and operationId; a shared helper belongs in ${join(ROOT, "_shared")}/.`,
      );
      continue;
    }
    const base = name.replace(/\.tsx?$/, "");
    for (const { path, operationId } of decls) {
      const segments = path.split("/").filter(Boolean);
      const first = segments[0] ?? "";
      const expected = SERVICE_SEGMENTS.has(first) ? SERVICE_FOLDER : first;
      if (folder.name !== expected) {
        problems.push(
          `${shown}: ${path} (${operationId}) belongs in ${join(ROOT, expected)}/, the folder named by the path's first segment.`,
        );
        continue;
      }
      // The file name says the operation: each of its words comes from the operationId or the path.
      const literal = (expected === SERVICE_FOLDER ? segments : segments.slice(1)).filter((s) => !s.startsWith("{"));
      const known = [...words(operationId), ...literal.flatMap(words)];
      const stray = words(base).filter((w) => !known.some((k) => sameWord(w, k)));
      if (stray.length > 0) {
        problems.push(
          `${shown}: the file name's ${stray.map((w) => `"${w}"`).join(", ")} is in neither ${path} nor ${operationId}; name the file after the operation (e.g. ${words(operationId).join("-")}.ts).`,
        );
      }
    }
    // A router's export is its operationId, so the OpenAPI document names the code that serves it.
    if (!decls.some(({ operationId }) => new RegExp(`export (const|function) ${operationId}\\b`).test(text))) {
      problems.push(
        `${shown}: export the router as ${decls.map((d) => d.operationId).join(" or ")} (its operationId).`,
      );
    }
  }
}

if (problems.length > 0) {
  console.error(`A URL names its file (docs/architecture.md):\n${problems.map((p) => `  ${p}`).join("\n")}`);
  process.exit(1);
}
