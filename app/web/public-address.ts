// Whether an IP address is on the public internet: what the webhook sender may connect to. The
// server must not become a probe of its own machine or network, so loopback, private, link-local,
// unique-local, shared (CGNAT), multicast, unspecified, documentation and reserved ranges are
// refused, and so is any IPv6 form that carries such an IPv4 address inside it (mapped ::ffff:a.b.c.d,
// compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16).
// Teredo (2001::/32) is a tunnel to anywhere and is refused whole.
// Ranges: IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its updates).
import { isIP } from "node:net";

/** Why an address is not public ("loopback", "private", …), or null for a public address. */
export function nonPublicReason(address: string): string | null {
  const host = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(host);
  if (family === 4) return ipv4Reason(ipv4Bytes(host));
  if (family === 6) return ipv6Reason(ipv6Bytes(host));
  return "not an IP address";
}

function ipv4Bytes(text: string): number[] {
  return text.split(".").map(Number);
}

/** The reason for an IPv4 address given as its four bytes. */
function ipv4Reason([a, b, c]: number[]): string | null {
  if (a === 0) return "unspecified (0.0.0.0/8)";
  if (a === 10) return "private (10.0.0.0/8)";
  if (a === 127) return "loopback (127.0.0.0/8)";
  if (a === 100 && b >= 64 && b <= 127) return "shared address space, CGNAT (100.64.0.0/10)";
  if (a === 169 && b === 254) return "link-local (169.254.0.0/16)";
  if (a === 172 && b >= 16 && b <= 31) return "private (172.16.0.0/12)";
  if (a === 192 && b === 0 && c === 0) return "IETF protocol assignments (192.0.0.0/24)";
  if (a === 192 && b === 0 && c === 2) return "documentation (192.0.2.0/24)";
  if (a === 192 && b === 168) return "private (192.168.0.0/16)";
  if (a === 198 && (b === 18 || b === 19)) return "benchmarking (198.18.0.0/15)";
  if (a === 198 && b === 51 && c === 100) return "documentation (198.51.100.0/24)";
  if (a === 203 && b === 0 && c === 113) return "documentation (203.0.113.0/24)";
  if (a >= 224 && a <= 239) return "multicast (224.0.0.0/4)";
  if (a >= 240) return "reserved (240.0.0.0/4)";
  return null;
}

/** An IPv6 address (as node:net accepts it) as its 16 bytes. */
function ipv6Bytes(text: string): number[] {
  let head = text.toLowerCase();
  // A dotted IPv4 tail ("::ffff:127.0.0.1") becomes its two groups.
  const dotted = head.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = ipv4Bytes(dotted[2]);
    head = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left, right] = head.includes("::") ? head.split("::") : [head, undefined];
  const groups = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const before = groups(left);
  const after = groups(right);
  const all = right === undefined ? before : [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function ipv6Reason(bytes: number[]): string | null {
  const zeroUpTo = (n: number) => bytes.slice(0, n).every((x) => x === 0);
  const tail = bytes.slice(12);
  if (zeroUpTo(16)) return "unspecified (::)";
  if (zeroUpTo(15) && bytes[15] === 1) return "loopback (::1)";
  // IPv4-mapped ::ffff:0:0/96 and the old IPv4-compatible ::/96: the IPv4 address decides.
  if (zeroUpTo(10) && bytes[10] === 0xff && bytes[11] === 0xff) return embedded("IPv4-mapped", tail);
  if (zeroUpTo(12)) return embedded("IPv4-compatible", tail);
  // NAT64 64:ff9b::/96 reaches the embedded IPv4 address through a translator.
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && bytes.slice(4, 12).every((x) => x === 0)) {
    return embedded("NAT64", tail);
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return embedded("6to4", bytes.slice(2, 6));
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0x00 && bytes[3] === 0x00) {
    // Teredo: a tunnel whose far end (the last four bytes, inverted) may be anything: never a webhook.
    return "Teredo tunnel (2001::/32)";
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0x0d && bytes[3] === 0xb8) return "documentation (2001:db8::/32)";
  if (bytes[0] === 0x01 && bytes[1] === 0x00 && bytes.slice(2, 8).every((x) => x === 0)) return "discard-only (100::/64)";
  if ((bytes[0] & 0xfe) === 0xfc) return "unique-local (fc00::/7)";
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return "link-local (fe80::/10)";
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0xc0) return "site-local (fec0::/10)";
  if (bytes[0] === 0xff) return "multicast (ff00::/8)";
  return null;
}

/** An IPv6 form that embeds an IPv4 address is as public as that address. */
function embedded(form: string, ipv4: number[]): string | null {
  const reason = ipv4Reason(ipv4);
  return reason === null ? null : `${form} form of ${ipv4.join(".")}, ${reason}`;
}
