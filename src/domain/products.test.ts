import { describe, expect, it } from "vitest";
import { isProduct } from "./products";

describe("isProduct", () => {
  it("5: accepts only the products we sell, never an inherited property name", () => {
    expect(isProduct("simpl-resultat")).toBe(true);
    expect(isProduct("simpl-liste")).toBe(true);
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "", "SIMPL-LISTE"])
      expect(isProduct(name), name).toBe(false);
    expect(isProduct(undefined)).toBe(false);
  });
});
