/**
 * A record file with every kind of address racount tells apart: one UDP
 * record of the corpus (IPv4 from udp-dns, IPv6 from ipv6) copied with
 * its addresses replaced, behind the source file's opening MAR. The real
 * tools read it like any argus file, so racount's address tables and
 * rasort's address order can be checked beyond what the captures hold.
 * @module
 */

import { CORPUS } from "./oracle.ts";

/** IPv4 addresses, one per branch of racount's tally (some repeated). */
const IPV4 = [
  "0.1.2.3",
  "1.2.3.4",
  "5.6.7.8",
  "23.1.1.1",
  "27.1.1.1",
  "36.1.1.1",
  "37.1.1.1",
  "41.1.1.1",
  "48.1.1.1",
  "73.1.1.1",
  "89.1.1.1",
  "127.0.0.1",
  "172.16.5.5",
  "172.20.1.1",
  "173.1.1.1",
  "169.254.1.1",
  "190.1.1.1",
  "192.0.2.7",
  "192.168.1.1",
  "192.1.1.1",
  "197.1.1.1",
  "223.1.1.1",
  "240.1.1.1",
  "255.255.255.255",
  "10.9.9.9",
  "8.8.8.8",
  "8.8.8.8",
  "224.0.0.5",
  "224.0.1.1",
  "224.0.2.1",
  "224.1.0.0",
  "224.2.0.1",
  "224.3.0.1",
  "224.3.0.64",
  "224.253.0.0",
  "224.254.0.1",
  "225.1.1.1",
  "232.1.1.1",
  "233.1.1.1",
  "234.1.1.1",
  "239.1.1.1",
  "239.192.1.1",
  "239.252.1.1",
  "239.0.0.1",
  "10.9.9.9",
]; // deno-fmt-ignore

/** IPv6 addresses, one per IN6_IS_ADDR_* class (and a global one). */
const IPV6 = [
  "::", "::1", "::102:304", "::ffff:102:304", "fe80::1", "fec0::1",
  "ff01::1", "ff02::1", "ff05::1", "ff08::1", "ff0e::1", "2001:db8::1",
  "fe80::1",
]; // deno-fmt-ignore

function v4(text: string): number[] {
  return text.split(".").map(Number);
}

function v6(text: string): number[] {
  const [head = "", tail = ""] = text.split("::");
  const words = (s: string) =>
    s ? s.split(":").map((w) => parseInt(w, 16)) : [];
  const h = words(head), t = words(tail);
  const all = [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

/** The records of a file: [start, length] pairs. */
function split(file: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p + 4 <= file.length;) {
    const len = ((file[p + 2]! << 8) | file[p + 3]!) * 4;
    if (len === 0) break;
    out.push([p, len]);
    p += len;
  }
  return out;
}

/** Offset of a record's flow DSR, or -1. */
function flowAt(rec: Uint8Array): number {
  for (let p = 4; p + 4 <= rec.length;) {
    if (rec[p] === 0x02) return p;
    const words = rec[p + 3]!;
    if (words === 0) break;
    p += words * 4;
  }
  return -1;
}

/** The first flow record whose flow key has `type` and protocol 17. */
function udpRecord(file: Uint8Array, type: number): Uint8Array {
  for (const [s, len] of split(file)) {
    if (file[s]! & 0x80) continue;
    const rec = file.subarray(s, s + len);
    const flow = flowAt(rec);
    if (flow < 0 || (rec[flow + 2]! & 0x1f) !== type) continue;
    if (rec[flow + (type === 1 ? 12 : 36)] !== 17) continue;
    return rec.slice();
  }
  throw new Error("no UDP record found");
}

/** Writes the address file to `path`. */
export async function writeAddressRecords(path: string): Promise<void> {
  const four = await Deno.readFile(`${CORPUS}expected/udp-dns.pcap.argus`);
  const six = await Deno.readFile(`${CORPUS}expected/ipv6.pcap.argus`);
  const [s0, l0] = split(four)[0]!;
  const parts: Uint8Array[] = [four.slice(s0, s0 + l0)];
  const r4 = udpRecord(four, 1), r6 = udpRecord(six, 2);
  const flow4 = flowAt(r4), flow6 = flowAt(r6);
  for (let i = 0; i < IPV4.length; i++) {
    const r = r4.slice();
    r.set(v4(IPV4[i]!), flow4 + 4);
    r.set(v4(IPV4[(i * 7 + 3) % IPV4.length]!), flow4 + 8);
    parts.push(r);
  }
  for (let i = 0; i < IPV6.length; i++) {
    const r = r6.slice();
    r.set(v6(IPV6[i]!), flow6 + 4);
    r.set(v6(IPV6[(i * 5 + 2) % IPV6.length]!), flow6 + 20);
    parts.push(r);
  }
  const size = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  await Deno.writeFile(path, out);
}
