/**
 * A Map that never holds more than `max` entries: setting one more forgets the entry used least
 * recently. Every per-isolate cache of ours is one of these, so no module-level state can grow with
 * traffic (an isolate past 128 MB is killed with the requests it serves). `get` counts as a use.
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`BoundedMap needs a positive bound, got ${max}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    // A Map iterates in insertion order: re-inserting makes this the most recently used entry.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    // One set adds one entry at most, so one eviction keeps the bound; the first key is the oldest.
    if (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value as K);
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  /** Returns the cached value, or builds, stores and returns it. */
  getOrSet(key: K, build: () => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = build();
    this.set(key, value);
    return value;
  }
}
