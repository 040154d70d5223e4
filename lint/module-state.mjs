// Nothing at module scope grows with traffic (issue 26): an isolate lives for many requests, and one
// past 128 MB is killed with the requests it serves. Every collection declared at a module's top level
// in src/ must be one of:
//   - a BoundedMap (src/lib/bounded-map.ts: its bound is tested in bounded-map.test.ts);
//   - a WeakMap / WeakSet (an entry goes with its key object, e.g. the isolate's env);
//   - typed ReadonlySet / ReadonlyMap (a constant: TypeScript rejects any add, set or delete);
//   - listed in ALLOWED below with the reason it cannot grow with traffic.
// A top-level `let` (state that can be replaced per request) or an empty array must be listed too.
// Usage: node lint/module-state.mjs [src-dir]
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = process.argv[2] ?? "src";

/** "file:name" -> why it is bounded. */
const ALLOWED = new Map([
  [
    "src/openapi/named-schemas.ts:named",
    "filled by namedSchema(), called once per schema declaration as its module is evaluated: bounded by the code",
  ],
  ["src/integrations/stripe/sdk.ts:sdk", "one memoised import of the Stripe SDK per isolate: a single value"],
  [
    "src/integrations/stripe/verify-webhook.ts:webhookVerifier",
    "one webhook verifier per isolate, built on the first webhook: a single value",
  ],
]);

const COLLECTION = /^(?:export\s+)?(const|let|var)\s+(\w+)\s*(?::\s*([^=]+?))?\s*=\s*new\s+(\w+)\b/;
const MUTABLE = /^(?:export\s+)?(let|var)\s+(\w+)/;
const EMPTY_ARRAY = /^(?:export\s+)?const\s+(\w+)\s*(?::\s*[^=]+?)?\s*=\s*\[\s*\];/;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) yield path;
  }
}

const problems = [];
let checked = 0;
for (const file of sourceFiles(ROOT)) {
  const name = relative(process.cwd(), file);
  for (const [i, line] of readFileSync(file, "utf8").split("\n").entries()) {
    // Top level only: a declaration inside a function starts indented (Biome formats the tree).
    const collection = COLLECTION.exec(line);
    const mutable = MUTABLE.exec(line);
    const array = EMPTY_ARRAY.exec(line);
    if (!collection && !mutable && !array) continue;
    checked++;
    const id = `${name}:${array ? array[1] : (collection ?? mutable)[2]}`;
    if (ALLOWED.has(id)) continue;
    const where = `${name}:${i + 1}`;
    if (array) {
      problems.push(
        `${where}: module-level array \`${array[1]}\` starts empty to be filled: if it can grow with traffic, bound it; else list it in lint/module-state.mjs with the reason.`,
      );
    } else if (collection) {
      const [, , , type = "", made] = collection;
      if (made === "BoundedMap" || made === "WeakMap" || made === "WeakSet") {
        if (collection[1] === "const") continue;
      } else if (/^Readonly(Set|Map)\b/.test(type.trim()) && collection[1] === "const") continue;
      else if (!["Map", "Set", "Array"].includes(made)) continue; // an object of some class: not a collection
      problems.push(
        `${where}: module-level ${made} \`${collection[2]}\` can grow with traffic: make it a BoundedMap, type a constant ReadonlySet/ReadonlyMap, or list it in lint/module-state.mjs with the reason it is bounded.`,
      );
    } else {
      problems.push(
        `${where}: module-level \`let ${mutable[2]}\`: state that outlives a request; use a const (a BoundedMap for a cache) or list it in lint/module-state.mjs with the reason it is bounded.`,
      );
    }
  }
}

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`module-state: ${problems.length} module-level collection(s) without a bound`);
  process.exit(1);
}
console.log(`module-state: ${checked} module-level collections and variables in ${ROOT}/, each bounded`);
