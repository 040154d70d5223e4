import { describe, expect, it } from "vitest";
import { rateLimitClientOf } from "./client-ip";

const expectClients = (cases: [address: string, client: string][]) => {
  for (const [address, client] of cases) expect(rateLimitClientOf(address), address).toBe(client);
};

describe("rateLimitClientOf", () => {
  it("groups IPv6 by /64, however the address is written", () => {
    expectClients([
      ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
      ["2001:DB8:1:2::ffff", "2001:db8:1:2::/64"],
      ["2001:0db8:0001:0002:0:0:0:1", "2001:db8:1:2::/64"],
      ["2001:db8::1", "2001:db8:0:0::/64"],
      ["::1", "0:0:0:0::/64"],
      ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ]);
  });

  it("keeps IPv4 (also IPv4-mapped IPv6) per address, and anything unparsable as it came", () => {
    expectClients([
      ["203.0.113.7", "203.0.113.7"],
      ["::ffff:203.0.113.7", "203.0.113.7"],
      ["unknown", "unknown"],
      ["1:2:3", "1:2:3"],
      ["1::2::3", "1::2::3"],
    ]);
  });
});
