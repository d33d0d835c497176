/**
 * The mutators: bit flips, byte and word sets, truncations, deleted and
 * inserted ranges, repeated chunks, splices of two inputs, and length-field
 * lies (a format's length or count field set to 0, 1, off by one, or
 * huge). Formats name their length fields; text formats give a dictionary.
 * @module
 */

import type { Prng } from "./prng.ts";

/** A length or count field of a format, found in one input. */
export interface LengthField {
  offset: number;
  /** Width in bytes. */
  size: 1 | 2 | 4;
  littleEndian: boolean;
}

/** What a target tells the mutators about its format. */
export interface FormatHints {
  /** Length fields present in `bytes` (pcap caplen, record lengths, ...). */
  lengthFields?(bytes: Uint8Array): LengthField[];
  /** Tokens worth inserting (filter keywords, conf variable names). */
  dictionary?: readonly Uint8Array[];
  /** Inputs are cut to this size. */
  maxSize: number;
}

const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 0x20, 0x0a, 0x22, 0x3d];
const INTERESTING_32 = [
  0,
  1,
  2,
  3,
  4,
  0x7f,
  0x80,
  0xff,
  0x100,
  0x7fff,
  0x8000,
  0xffff,
  0x10000,
  0x7fffffff,
  0x80000000,
  0xfffffffe,
  0xffffffff,
];

function setField(
  b: Uint8Array,
  off: number,
  size: number,
  le: boolean,
  value: number,
): void {
  for (let i = 0; i < size; i++) {
    const shift = 8 * (le ? i : size - 1 - i);
    b[off + i] = Math.floor(value / 2 ** shift) & 0xff;
  }
}

function getField(
  b: Uint8Array,
  off: number,
  size: number,
  le: boolean,
): number {
  let v = 0;
  for (let i = 0; i < size; i++) {
    v = v * 256 + b[off + (le ? size - 1 - i : i)]!;
  }
  return v;
}

/** The bytes of `parts`, one after the other. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A length field's lie: zero, tiny, off by one, doubled or huge. */
function lie(rng: Prng, old: number, size: number): number {
  const max = 2 ** (8 * size) - 1;
  switch (rng.int(8)) {
    case 0:
      return 0;
    case 1:
      return old + 1;
    case 2:
      return Math.max(0, old - 1);
    case 3:
      return old * 2;
    case 4:
      return max;
    case 5:
      return rng.int(16);
    case 6:
      return rng.pick(INTERESTING_32);
    default:
      return rng.next();
  }
}

/** One mutation of `b` (a new array; `b` is not changed). */
export function mutateOnce(
  rng: Prng,
  input: Uint8Array,
  other: Uint8Array,
  hints: FormatHints,
): Uint8Array {
  const b = input.slice();
  const n = b.length;
  switch (rng.int(11)) {
    case 0: { // bit flips
      if (n === 0) return b;
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips; i++) b[rng.int(n)]! ^= 1 << rng.int(8);
      return b;
    }
    case 1: { // byte sets
      if (n === 0) return b;
      const sets = 1 + rng.int(4);
      for (let i = 0; i < sets; i++) {
        b[rng.int(n)] = rng.chance(0.5)
          ? rng.pick(INTERESTING_8)
          : rng.int(256);
      }
      return b;
    }
    case 2: { // a 16- or 32-bit word set, either byte order
      const size = rng.chance(0.5) ? 2 : 4;
      if (n < size) return b;
      setField(
        b,
        rng.int(n - size + 1),
        size,
        rng.chance(0.5),
        rng.pick(INTERESTING_32) % 2 ** (8 * size),
      );
      return b;
    }
    case 3: // truncation, mostly near the end
      return b.slice(
        0,
        rng.chance(0.5) ? n - rng.int(Math.min(n, 64) + 1) : rng.int(n + 1),
      );
    case 4: { // a range deleted
      const at = rng.int(n + 1), len = rng.int(Math.min(n - at, 256) + 1);
      return concat(b.subarray(0, at), b.subarray(at + len));
    }
    case 5: { // bytes inserted: random, or a dictionary token
      const at = rng.int(n + 1);
      let ins: Uint8Array;
      if (hints.dictionary && rng.chance(0.7)) {
        ins = rng.pick(hints.dictionary);
      } else {
        ins = new Uint8Array(1 + rng.int(16));
        for (let i = 0; i < ins.length; i++) ins[i] = rng.int(256);
      }
      return concat(b.subarray(0, at), ins, b.subarray(at));
    }
    case 6: { // a chunk repeated
      if (n === 0) return b;
      const at = rng.int(n), len = 1 + rng.int(Math.min(n - at, 512));
      const chunk = b.subarray(at, at + len);
      const times = 1 + rng.int(rng.chance(0.2) ? 64 : 4);
      const parts = [b.subarray(0, at + len)];
      for (let i = 0; i < times; i++) parts.push(chunk);
      parts.push(b.subarray(at + len));
      return concat(...parts);
    }
    case 7: // a splice: the head of one input, the tail of another
      return concat(
        b.subarray(0, rng.int(n + 1)),
        other.subarray(rng.int(other.length + 1)),
      );
    case 8:
    case 9: { // length-field lies
      const fields = hints.lengthFields?.(b) ?? [];
      if (fields.length === 0) return mutateOnce(rng, input, other, hints);
      const lies = 1 + rng.int(2);
      for (let i = 0; i < lies; i++) {
        const f = rng.pick(fields);
        if (f.offset + f.size > b.length) continue;
        const old = getField(b, f.offset, f.size, f.littleEndian);
        setField(b, f.offset, f.size, f.littleEndian, lie(rng, old, f.size));
      }
      return b;
    }
    default: { // a range overwritten with a dictionary token or its own bytes
      if (n === 0) return b;
      const src = hints.dictionary && rng.chance(0.6)
        ? rng.pick(hints.dictionary)
        : b.subarray(rng.int(n), rng.int(n) + 1 + rng.int(32));
      const at = rng.int(n);
      b.set(src.subarray(0, n - at), at);
      return b;
    }
  }
}

/** One fuzz input: 1-5 stacked mutations of a seed, cut to maxSize. */
export function mutate(
  rng: Prng,
  seed: Uint8Array,
  other: Uint8Array,
  hints: FormatHints,
): Uint8Array {
  let b = seed;
  const rounds = 1 + (rng.chance(0.5) ? 0 : rng.int(5));
  for (let i = 0; i < rounds; i++) {
    b = mutateOnce(rng, b, other, hints);
    if (b.length > hints.maxSize) b = b.subarray(0, hints.maxSize);
  }
  return b;
}
