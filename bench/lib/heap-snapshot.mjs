// Heap snapshots of the service's isolate through wrangler dev's inspector, and what grew between two:
// `node bench/memory.mjs --snapshots` takes one after GC before the floods and one after, and prints
// the groups of objects (by constructor or kind) that grew, each with the retainer path of one of its
// new objects (from a GC root, the way DevTools' "Retainers" pane reads it). workerd answers
// HeapProfiler.takeHeapSnapshot itself, synchronously (a full GC first, as V8 always does for one).

/** The snapshot as parsed JSON (V8's .heapsnapshot format). */
export async function takeHeapSnapshot(inspector) {
  const chunks = [];
  inspector.on("HeapProfiler.addHeapSnapshotChunk", ({ chunk }) => chunks.push(chunk));
  await inspector.call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  const text = chunks.join("");
  chunks.length = 0;
  return JSON.parse(text);
}

/** Nodes with their outgoing edges, in a shape that is easy to walk. */
export function readSnapshot(raw) {
  const { node_fields: nf, edge_fields: ef, node_types: nt, edge_types: et } = raw.snapshot.meta;
  const N = nf.length;
  const E = ef.length;
  const at = (fields, name) => fields.indexOf(name);
  const [nType, nName, nId, nSize, nEdges] = ["type", "name", "id", "self_size", "edge_count"].map((f) => at(nf, f));
  const [eType, eName, eTo] = ["type", "name_or_index", "to_node"].map((f) => at(ef, f));
  const nodeTypes = nt[nType];
  const edgeTypes = et[eType];
  const count = raw.nodes.length / N;
  const nodes = new Array(count);
  let edge = 0;
  for (let i = 0; i < count; i++) {
    const o = i * N;
    const edges = [];
    for (let k = 0; k < raw.nodes[o + nEdges]; k++, edge += E) {
      const type = edgeTypes[raw.edges[edge + eType]];
      const nameOrIndex = raw.edges[edge + eName];
      edges.push({
        type,
        name: type === "element" || type === "hidden" ? `[${nameOrIndex}]` : raw.strings[nameOrIndex],
        to: raw.edges[edge + eTo] / N,
      });
    }
    nodes[i] = {
      type: nodeTypes[raw.nodes[o + nType]],
      name: raw.strings[raw.nodes[o + nName]],
      id: raw.nodes[o + nId],
      size: raw.nodes[o + nSize],
      edges,
    };
  }
  return nodes;
}

/** DevTools' grouping: objects by constructor name, the rest by kind ("(string)", "(closure)" ...). */
const groupOf = (node) => (node.type === "object" || node.type === "native" ? node.name : `(${node.type})`);

/**
 * What grew from `before` to `after` (readSnapshot results): groups sorted by bytes added, each with
 * the retainer path of its largest new object.
 */
export function compareSnapshots(before, after, top = 8) {
  const oldIds = new Set(before.map((n) => n.id));
  const groups = new Map();
  const bump = (key, node, sign, isNew) => {
    const g = groups.get(key) ?? { group: key, countDelta: 0, bytesDelta: 0, newCount: 0, largestNew: null };
    g.countDelta += sign;
    g.bytesDelta += sign * node.size;
    if (isNew) {
      g.newCount++;
      if (!g.largestNew || node.size > g.largestNew.size) g.largestNew = node;
    }
    groups.set(key, g);
  };
  for (const n of before) bump(groupOf(n), n, -1, false);
  for (const n of after) bump(groupOf(n), n, +1, !oldIds.has(n.id));
  const grown = [...groups.values()].filter((g) => g.bytesDelta > 0).sort((a, b) => b.bytesDelta - a.bytesDelta);
  const paths = shortestPathsFromRoot(after);
  return grown.slice(0, top).map(({ largestNew, ...g }) => ({
    ...g,
    retainerPath: largestNew ? retainerPath(after, paths, after.indexOf(largestNew)) : null,
  }));
}

/** Breadth-first from the snapshot's root (node 0) over strong edges: each node's parent on a shortest path. */
function shortestPathsFromRoot(nodes) {
  const parent = new Int32Array(nodes.length).fill(-1);
  const via = new Array(nodes.length);
  parent[0] = 0;
  const queue = [0];
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head];
    for (const e of nodes[from].edges) {
      if (e.type === "weak" || e.type === "shortcut" || parent[e.to] !== -1) continue;
      parent[e.to] = from;
      via[e.to] = e.name;
      queue.push(e.to);
    }
  }
  return { parent, via };
}

function retainerPath(nodes, { parent, via }, index) {
  if (index < 0 || parent[index] === -1) return "(not reachable from a GC root: garbage the GC had not yet freed)";
  const steps = [];
  for (let i = index; i !== 0; i = parent[i]) {
    const n = nodes[i];
    steps.push(`${via[i]} → ${groupOf(n)}${n.type === "string" ? ` "${n.name.slice(0, 40)}"` : ""} @${n.id}`);
    if (steps.length > 30) break;
  }
  return steps.reverse().join("  ");
}
