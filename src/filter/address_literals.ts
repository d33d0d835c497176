/**
 * Address literals in filter expressions: dotted quads, IPv6 text and
 * Ethernet addresses, turned into big-endian 32-bit words and bytes.
 * argus reads every part of a dotted quad as decimal (010.1.0.10 is
 * 10.1.0.10, checked with the real ra) and takes no IPv4-in-IPv6 forms.
 * @module
 */

/** A dotted quad as an unsigned 32-bit number, or null if it is not one. */
export function parseIPv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let v = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = v * 256 + n;
  }
  return v;
}

/** An IPv6 address as four big-endian words, or null if it is not one. */
export function parseIPv6(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const all = [...head, ...new Array<number>(fill).fill(0), ...tail];
  const words: number[] = [];
  for (let i = 0; i < 8; i += 2) {
    words.push(((all[i]! << 16) | all[i + 1]!) >>> 0);
  }
  return words;
}

function groups(s: string): number[] | null {
  if (s === "") return [];
  const out: number[] = [];
  for (const g of s.split(":")) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    out.push(parseInt(g, 16));
  }
  return out;
}

/** An Ethernet address (`2:0:0:0:a:3` or `02:00:…`) as six bytes. */
export function parseMac(text: string): number[] | null {
  const parts = text.split(":");
  if (parts.length !== 6) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return null;
    out.push(parseInt(p, 16));
  }
  return out;
}
