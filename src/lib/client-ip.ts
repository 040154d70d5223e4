const HEXTET = /^[0-9a-f]{1,4}$/;

/** The eight hextets of an IPv6 address (zone and `::` expanded), or null when it is not one. */
function hextetsOf(ip: string): string[] | null {
  const address = ip.toLowerCase().split("%")[0] ?? "";
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const part = (s: string | undefined) => (s ? s.split(":") : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  return all.every((h) => HEXTET.test(h)) ? all.map((h) => h.replace(/^0+(?=.)/, "")) : null;
}

/**
 * Who a request counts as for the per-IP limit: an IPv4 address is itself (also written IPv4-mapped,
 * `::ffff:a.b.c.d`); an IPv6 address is its /64, the block one customer's network is given, so an
 * attacker holding a /64 is one client and not 2^64. Anything else counts as it came.
 */
export function rateLimitClientOf(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(":")) return ip;
  const hextets = hextetsOf(ip);
  return hextets ? `${hextets.slice(0, 4).join(":")}::/64` : ip;
}
