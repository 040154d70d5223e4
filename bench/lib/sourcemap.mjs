// Which source file each byte of the bundle came from, read from the source map wrangler writes next
// to it (minified or not): for the bundle's weight by package and for the CPU profile's attribution.
import { gzipSync } from "node:zlib";

const B64 = new Map([..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].map((c, i) => [c, i]));
const GLUE = "(wrangler/esbuild glue)";

/** Decodes `mappings`: per generated line, [generatedColumn, sourceIndex, sourceLine, nameIndex] in column order. */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  let sourceLine = 0;
  let name = 0;
  for (const lineText of mappings.split(";")) {
    const segments = [];
    let column = 0;
    for (const segment of lineText.split(",")) {
      if (!segment) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.get(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length > 1) {
        source += values[1];
        sourceLine += values[2];
        if (values.length > 4) name += values[4];
        segments.push([column, source, sourceLine, values.length > 4 ? name : -1]);
      } else segments.push([column, -1, -1, -1]);
    }
    lines.push(segments);
  }
  return lines;
}

/** `node_modules/<pkg>` → the package, our own files → their path under src/. */
function sectionOfSource(path) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  // drizzle-orm's published maps point one folder too high (`node_modules/src/entity.ts`).
  if (pkg?.[1] === "src") return "drizzle-orm";
  if (pkg) return pkg[1];
  const ours = /(?:^|\/)(src\/.+)$/.exec(path);
  return ours ? ours[1] : GLUE;
}

export function loadSourceMap(mapJson) {
  const map = typeof mapJson === "string" ? JSON.parse(mapJson) : mapJson;
  const sections = map.sources.map(sectionOfSource);
  const lines = decodeMappings(map.mappings);
  const segmentAt = (line, column) => {
    const segments = lines[line];
    if (!segments?.length) return null;
    let lo = 0;
    let hi = segments.length - 1;
    let found = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segments[mid][0] <= column) {
        found = segments[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
  return {
    /** The section (package or src/ file) of a 0-based line and column of the bundle. */
    sectionAt(line, column) {
      const segment = segmentAt(line, column);
      return segment && segment[1] >= 0 ? sections[segment[1]] : GLUE;
    },
    /** A profiled function (its start in the bundle) as `name (section:line)`, its name restored from the map. */
    functionAt(line, column, fallbackName) {
      const at = segmentAt(line, column);
      if (!at || at[1] < 0) return `${fallbackName} (${GLUE})`;
      // V8 places a function at its parameter list: its original name is the last named segment just
      // before, on the same source line (`function $r(` → createCtx). Arrow functions have none.
      const named = (lines[line] ?? [])
        .filter((seg) => seg[0] <= column && seg[0] >= column - 40 && seg[3] >= 0 && seg[2] === at[2])
        .pop();
      const found = named ? map.names[named[3]] : fallbackName;
      const name = found === "__name" || found.length <= 3 ? "(anonymous)" : found;
      return `${name} (${sections[at[1]]}:${at[2] + 1})`;
    },
    /** Raw and gzip KiB of the bundle's code by group of sections (each group gzipped on its own: an estimate). */
    weigh(code, groupOf = (section) => section) {
      const parts = new Map();
      const add = (section, piece) => {
        if (!piece) return;
        const group = groupOf(section);
        const list = parts.get(group) ?? [];
        list.push(piece);
        parts.set(group, list);
      };
      for (const [i, text] of code.split("\n").entries()) {
        const segments = lines[i] ?? [];
        add(GLUE, segments.length ? text.slice(0, segments[0][0]) : text);
        for (const [j, [column, source]] of segments.entries()) {
          const end = j + 1 < segments.length ? segments[j + 1][0] : text.length;
          add(source >= 0 ? sections[source] : GLUE, text.slice(column, end));
        }
      }
      return [...parts.entries()]
        .map(([name, pieces]) => {
          const text = pieces.join("\n");
          return { name, rawKiB: Buffer.byteLength(text) / 1024, gzipKiB: gzipSync(text).length / 1024 };
        })
        .sort((a, b) => b.rawKiB - a.rawKiB);
    },
  };
}
