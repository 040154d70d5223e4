import { describe, expect, it } from "vitest";
import { rateLimitClientOf } from "./client-ip";

describe("rateLimitClientOf", () => {
  it("groups IPv6 by /64, however the address is written", () => {
    expect(rateLimitClientOf("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(rateLimitClientOf("2001:DB8:1:2::ffff")).toBe("2001:db8:1:2::/64");
    expect(rateLimitClientOf("2001:0db8:0001:0002:0:0:0:1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitClientOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(rateLimitClientOf("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitClientOf("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("keeps IPv4 (also IPv4-mapped IPv6) per address, and anything unparsable as it came", () => {
    expect(rateLimitClientOf("203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitClientOf("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitClientOf("unknown")).toBe("unknown");
    expect(rateLimitClientOf("1:2:3")).toBe("1:2:3");
    expect(rateLimitClientOf("1::2::3")).toBe("1::2::3");
  });
});
