/**
 * RecordBuffer: the growable byte buffer records are encoded into, with
 * big-endian (network order) writers and the few little-endian ones argus's
 * host-order fields need (docs/record-format.md §1). One buffer is reused for
 * every record, so encoding allocates only when it grows.
 * @module
 */

const TWO_32 = 0x1_0000_0000;

/** A growable output buffer with a write position. */
export class RecordBuffer {
  /** The storage; replaced (bigger) when it grows. */
  buf: Uint8Array;
  /** A view of `buf`, replaced with it. */
  view: DataView;
  /** Bytes written so far. */
  pos = 0;

  constructor(size = 1 << 16) {
    this.buf = new Uint8Array(Math.max(size, 64));
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Forgets what was written; the storage is kept. */
  clear(): void {
    this.pos = 0;
  }

  u8(v: number): void {
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }
  u32(v: number): void {
    this.view.setUint32(this.pos, v >>> 0);
    this.pos += 4;
  }
  u16le(v: number): void {
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  u32le(v: number): void {
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  /** An unsigned 64-bit value given as a number (exact up to 2^53). */
  u64(v: number): void {
    const hi = Math.floor(v / TWO_32);
    this.u32(hi);
    this.u32(v - hi * TWO_32);
  }
  /** A signed 64-bit value given as a number (exact within ±2^53). */
  i64(v: number): void {
    const hi = Math.floor(v / TWO_32);
    this.view.setInt32(this.pos, hi);
    this.view.setUint32(this.pos + 4, v - hi * TWO_32);
    this.pos += 8;
  }
  f32(v: number): void {
    this.view.setFloat32(this.pos, v);
    this.pos += 4;
  }
  /** A 48-bit MAC address held in a number, most significant byte first. */
  mac(v: number): void {
    const hi = Math.floor(v / TWO_32);
    this.u16(hi);
    this.u32(v - hi * TWO_32);
  }
  /** Copies `src` in. */
  put(src: Uint8Array): void {
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }
  /** Copies `src` in, cut or zero-filled to exactly `n` bytes. */
  putFixed(src: Uint8Array, n: number): void {
    const m = Math.min(src.length, n);
    this.buf.set(m === src.length ? src : src.subarray(0, m), this.pos);
    this.buf.fill(0, this.pos + m, this.pos + n);
    this.pos += n;
  }
  zeros(n: number): void {
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }
  /** A DSR header with an 8-bit length in words. */
  dsr(type: number, subtype: number, qual: number, words: number): void {
    if (words > 0xff) {
      throw new RangeError(
        `Cannot encode DSR 0x${type.toString(16)}: ${words} words is over 255`,
      );
    }
    this.u8(type);
    this.u8(subtype);
    this.u8(qual);
    this.u8(words);
  }
}

/** Reads a big-endian 48-bit MAC address into a number. */
export function readMac(view: DataView, at: number): number {
  return view.getUint16(at) * TWO_32 + view.getUint32(at + 2);
}

/** Reads an unsigned 64-bit big-endian value; -1 when above 2^53. */
export function readU64(view: DataView, at: number): number {
  const hi = view.getUint32(at);
  if (hi >= 0x20_0000) return -1;
  return hi * TWO_32 + view.getUint32(at + 4);
}

/** Whether `b[from..to)` is all zero. */
export function allZero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}
