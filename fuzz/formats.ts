/**
 * What the fuzzer knows of its binary formats: where the length fields of
 * classic pcap, pcapng and Argus 3 record streams are (for length-field
 * lies), and how to cut a big seed down at a record boundary so that each
 * input stays small and fast.
 * @module
 */

import { concat, type LengthField } from "./mutate.ts";
import type { Prng } from "./prng.ts";

/** Classic pcap byte order from its magic, or null for another format. */
function pcapLittleEndian(b: Uint8Array): boolean | null {
  if (b.length < 24) return null;
  const m = (b[0]! << 24 | b[1]! << 16 | b[2]! << 8 | b[3]!) >>> 0;
  if (m === 0xa1b2c3d4 || m === 0xa1b23c4d) return false;
  if (m === 0xd4c3b2a1 || m === 0x4d3cb2a1) return true;
  return null;
}

function u32(b: Uint8Array, off: number, le: boolean): number {
  return le
    ? (b[off]! | b[off + 1]! << 8 | b[off + 2]! << 16 | b[off + 3]! << 24) >>>
      0
    : (b[off]! << 24 | b[off + 1]! << 16 | b[off + 2]! << 8 | b[off + 3]!) >>>
      0;
}

/** Record boundaries of a classic pcap (after its 24-byte header). */
function pcapRecords(b: Uint8Array, le: boolean, limit: number): number[] {
  const starts: number[] = [];
  for (let p = 24; p + 16 <= b.length && starts.length < limit;) {
    starts.push(p);
    p += 16 + u32(b, p + 8, le);
  }
  return starts;
}

/** pcapng byte order from its first section header, or null. */
function pcapngLittleEndian(b: Uint8Array): boolean | null {
  if (b.length < 12 || u32(b, 0, false) !== 0x0a0d0d0a) return null;
  return u32(b, 8, true) === 0x1a2b3c4d;
}

/** Block boundaries of a pcapng stream. */
function pcapngBlocks(b: Uint8Array, le: boolean, limit: number): number[] {
  const starts: number[] = [];
  for (let p = 0; p + 12 <= b.length && starts.length < limit;) {
    starts.push(p);
    const len = u32(b, p + 4, le);
    if (len < 12) break;
    p += len;
  }
  return starts;
}

/** Length fields of a pcap or pcapng capture (none for other bytes). */
export function captureLengthFields(b: Uint8Array): LengthField[] {
  const out: LengthField[] = [];
  const le = pcapLittleEndian(b);
  if (le !== null) {
    // The file header's snaplen and link type.
    out.push({ offset: 16, size: 4, littleEndian: le });
    out.push({ offset: 20, size: 4, littleEndian: le });
    for (const p of pcapRecords(b, le, 64)) {
      out.push({ offset: p + 8, size: 4, littleEndian: le }); // caplen
      out.push({ offset: p + 12, size: 4, littleEndian: le }); // len
    }
    return out;
  }
  const ng = pcapngLittleEndian(b);
  if (ng === null) return out;
  for (const p of pcapngBlocks(b, ng, 64)) {
    out.push({ offset: p + 4, size: 4, littleEndian: ng });
    const len = u32(b, p + 4, ng);
    if (p + len <= b.length && len >= 12) {
      out.push({ offset: p + len - 4, size: 4, littleEndian: ng });
    }
    const type = u32(b, p, ng);
    if (type === 6) { // enhanced packet: captured and original length
      out.push({ offset: p + 20, size: 4, littleEndian: ng });
      out.push({ offset: p + 24, size: 4, littleEndian: ng });
      out.push({ offset: p + 8, size: 4, littleEndian: ng }); // interface
    } else if (type === 3) { // simple packet: original length
      out.push({ offset: p + 8, size: 4, littleEndian: ng });
    } else if (type === 1) { // interface: link type, snaplen
      out.push({ offset: p + 8, size: 2, littleEndian: ng });
      out.push({ offset: p + 12, size: 4, littleEndian: ng });
      // The first option's length.
      out.push({ offset: p + 18, size: 2, littleEndian: ng });
    }
  }
  return out;
}

/** Record and DSR length fields of an Argus 3 record stream. */
export function argusLengthFields(b: Uint8Array): LengthField[] {
  const out: LengthField[] = [];
  for (let p = 0, n = 0; p + 4 <= b.length && n < 64; n++) {
    out.push({ offset: p + 2, size: 2, littleEndian: false });
    const len = (b[p + 2]! << 8 | b[p + 3]!) * 4;
    if (len === 0) break;
    if ((b[p]! & 0x80) === 0) {
      // DSR lengths (one byte; the user-data DSR's is two).
      for (let d = p + 4; d + 4 <= Math.min(p + len, b.length);) {
        const data = (b[d]! & 0x7f) === 0x50;
        out.push({
          offset: data ? d + 2 : d + 3,
          size: data ? 2 : 1,
          littleEndian: false,
        });
        const words = data ? (b[d + 2]! << 8 | b[d + 3]!) : b[d + 3]!;
        if (words === 0) break;
        d += words * 4;
      }
    }
    p += len;
  }
  return out;
}

/**
 * A capture cut to at most `max` bytes at a packet (block) boundary,
 * starting with the packets after `skip` of them (the file header kept).
 */
export function cutCapture(b: Uint8Array, max: number, skip = 0): Uint8Array {
  if (b.length <= max && skip === 0) return b;
  const le = pcapLittleEndian(b);
  if (le !== null) {
    const recs = pcapRecords(b, le, Infinity);
    const first = recs[Math.min(skip, recs.length - 1)] ?? 24;
    let end = first;
    for (const p of recs) {
      if (p < first) continue;
      const next = p + 16 + u32(b, p + 8, le);
      if (next - first + 24 > max || next > b.length) break;
      end = next;
    }
    const out = new Uint8Array(24 + end - first);
    out.set(b.subarray(0, 24));
    out.set(b.subarray(first, end), 24);
    return out;
  }
  const ng = pcapngLittleEndian(b);
  if (ng === null) return b.subarray(0, max);
  let end = 0;
  for (const p of pcapngBlocks(b, ng, Infinity)) {
    const next = p + u32(b, p + 4, ng);
    if (next > max || next > b.length) break;
    end = next;
  }
  return b.subarray(0, end);
}

/** An Argus record stream cut to at most `max` bytes at a record boundary. */
export function cutRecords(b: Uint8Array, max: number, skip = 0): Uint8Array {
  const starts: number[] = [];
  let p = 0;
  while (p + 4 <= b.length) {
    const len = (b[p + 2]! << 8 | b[p + 3]!) * 4;
    if (len === 0 || p + len > b.length) break;
    starts.push(p);
    p += len;
  }
  starts.push(p);
  // The stream's opening MAR stays first.
  const head = starts[1] ?? 0;
  const from = starts[Math.min(1 + skip, starts.length - 1)] ?? head;
  let end = from;
  for (const s of starts) {
    if (s <= from) continue;
    if (s - from + head > max) break;
    end = s;
  }
  const out = new Uint8Array(head + end - from);
  out.set(b.subarray(0, head));
  out.set(b.subarray(from, end), head);
  return out;
}

/** Whole records of a stream: [start, end) pairs, to the first damage. */
function recordSpans(b: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p + 4 <= b.length;) {
    const len = (b[p + 2]! << 8 | b[p + 3]!) * 4;
    if (len === 0 || p + len > b.length) break;
    out.push([p, p + len]);
    p += len;
  }
  return out;
}

/**
 * A record stream whose framing holds: the opening MAR of one seed, then
 * whole records picked from several, each with a few bytes changed after
 * its header (DSR contents and DSR lengths, never the record length), so
 * inputs get past the framer into the decoders and printers.
 */
export function recordLevelMutant(
  rng: Prng,
  seeds: readonly Uint8Array[],
): Uint8Array {
  const parts: Uint8Array[] = [];
  const first = rng.pick(seeds);
  const head = recordSpans(first)[0];
  if (head !== undefined) parts.push(first.slice(head[0], head[1]));
  const count = 1 + rng.int(24);
  for (let i = 0; i < count; i++) {
    const s = rng.pick(seeds);
    const spans = recordSpans(s);
    if (spans.length === 0) continue;
    const [a, z] = rng.pick(spans);
    const rec = s.slice(a, z);
    const changes = rng.int(6);
    for (let c = 0; c < changes && rec.length > 4; c++) {
      const at = 4 + rng.int(rec.length - 4);
      rec[at] = rng.chance(0.5) ? rec[at]! ^ (1 << rng.int(8)) : rng.int(256);
    }
    parts.push(rec);
  }
  return concat(...parts);
}
