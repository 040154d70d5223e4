import { describe, expect, it } from "vitest";
import { BoundedMap } from "./bounded-map";

describe("BoundedMap: module-level caches cannot grow with traffic", () => {
  it("never holds more than its bound, however many keys pass through", () => {
    const map = new BoundedMap<string, number>(100);
    for (let i = 0; i < 100_000; i++) map.set(`key-${i}`, i);
    expect(map.size).toBe(100);
    expect(map.get("key-99999")).toBe(99_999);
    expect(map.get("key-0")).toBeUndefined();
  });

  it("forgets the least recently used entry first", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2);
    expect(map.get("a")).toBe(1); // a is now the most recently used
    map.set("c", 3);
    expect(map.get("b")).toBeUndefined();
    expect([map.get("a"), map.get("c")]).toEqual([1, 3]);
  });

  it("builds a missing value once with getOrSet", () => {
    const map = new BoundedMap<string, object>(4);
    let builds = 0;
    const first = map.getOrSet("k", () => ({ n: ++builds }));
    expect(map.getOrSet("k", () => ({ n: ++builds }))).toBe(first);
    expect(builds).toBe(1);
  });

  it("refuses a bound that is not a positive integer", () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
    expect(() => new BoundedMap(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
