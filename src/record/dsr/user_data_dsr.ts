/**
 * User data DSR (type 0x50, `argus -U N`): the first bytes of a direction's
 * payload (docs/record-format.md §9). The only DSR with a 16-bit length
 * (bytes 2-3, words); subtype 0x90 source or 0xa0 destination
 * (LEN_16BITS | SRC_DATA/DST_DATA); then size (the -U value) and count
 * (bytes captured), u16 each, and the bytes zero-padded to a word.
 * @module
 */

import { allZero, type RecordBuffer } from "../record_buffer.ts";

/** User data subtype bits. */
export const UserDataSubtype = {
  LEN_16BITS: 0x80,
  SRC_DATA: 0x10,
  DST_DATA: 0x20,
} as const;

/** Captured payload bytes of one direction. */
export interface UserDataDsr {
  /** 0x90 source, 0xa0 destination. */
  subtype: number;
  /** Capacity argus was asked for (-U). */
  size: number;
  /** The bytes captured (`count` in the record). */
  bytes: Uint8Array;
}

/** Decodes the DSR at `p`, `len` being its 16-bit length in words. */
export function decodeUserData(
  b: Uint8Array,
  v: DataView,
  p: number,
  len: number,
): UserDataDsr | null {
  if (len < 2) return null;
  const count = v.getUint16(p + 6);
  if (len !== 2 + ((count + 3) >> 2)) return null;
  const end = p + 8 + count;
  if (!allZero(b, end, p + len * 4)) return null;
  return {
    subtype: b[p + 1]!,
    size: v.getUint16(p + 4),
    bytes: b.slice(p + 8, end),
  };
}

export function encodeUserData(out: RecordBuffer, d: UserDataDsr): void {
  const count = d.bytes.length;
  const words = 2 + ((count + 3) >> 2);
  if (words > 0xffff) {
    throw new RangeError(`Cannot encode ${count} bytes of user data: too long`);
  }
  out.reserve(words * 4);
  out.u8(0x50);
  out.u8(d.subtype);
  out.u16(words);
  out.u16(d.size);
  out.u16(count);
  out.putFixed(d.bytes, (words - 2) * 4);
}
