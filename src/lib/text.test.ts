import { describe, expect, it } from "vitest";
import { clip, hasLoneSurrogate } from "./text";

describe("clip: truncation on code points", () => {
  it("never cuts a surrogate pair in half", () => {
    const text = `${"a".repeat(499)}😀tail`;
    expect(text.slice(0, 500)).toMatch(/\p{Cs}/u); // what .slice(0, 500) did
    expect(clip(text, 500)).toBe("a".repeat(499));
    expect(clip(text, 501)).toBe(`${"a".repeat(499)}😀`);
    expect(hasLoneSurrogate(clip(text, 500))).toBe(false);
  });

  it("leaves short and well-formed text as it is, and replaces lone surrogates already in it", () => {
    expect(clip("é😀", 500)).toBe("é😀");
    expect(clip("bad \ud83d input", 500)).toBe("bad \uFFFD input");
    expect(clip("\udc00", 500)).toBe("\uFFFD");
  });
});
