/**
 * TCP connection state of every TCP flow (argus's ArgusTCPObject and its
 * two ArgusTCPObjectMetrics) as rows of one Uint32Array: a TCP flow costs
 * 132 bytes instead of three objects (~470 bytes of heap), nothing for the
 * garbage collector to trace, and one cache-friendly block per
 * connection. The fields are argus's 32-bit unsigned ones, so stores wrap
 * as they do in argus; the last-packet times (µs) take two words each.
 * @module
 */

import { RowStore } from "./row_store.ts";

/** Connection words, from a row's base. */
export const C_STATUS = 0;
export const C_STATE = 1;
export const C_OPTIONS = 2;
export const C_SYNACK = 3;
export const C_ACKDAT = 4;

/** Offsets of the source and destination sides from a row's base. */
export const SRC_SIDE = 5;
export const DST_SIDE = 19;

/** Side words, from a side's base (row base + SRC_SIDE or DST_SIDE). */
const S_LAST_HI = 0;
const S_LAST_LO = 1;
export const S_STATUS = 2;
export const S_SEQBASE = 3;
export const S_SEQ = 4;
export const S_ACK = 5;
export const S_WINNUM = 6;
export const S_BYTES = 7;
export const S_RETRANS = 8;
export const S_ACKBYTES = 9;
export const S_WINBYTES = 10;
export const S_WIN = 11;
export const S_FLAGS = 12;
export const S_WINSHIFT = 13;

/** Numbers per row. */
export const TCP_ROW = 33;

/** Rows of TCP state, handed out and taken back by row base. */
export class TcpStore extends RowStore<Uint32Array<ArrayBuffer>> {
  constructor(initialRows = 1024) {
    super(TCP_ROW, initialRows, (b) => new Uint32Array(b));
  }

  /** A new row is zeros already; a reused one is cleared. */
  protected initRow(base: number, reused: boolean): void {
    if (reused) this.clear(base);
  }

  /** Zeroes a row (a new or restarted connection). */
  clear(base: number): void {
    // A loop beats fill()'s call overhead for one short row.
    const w = this.words;
    for (let i = base, end = base + TCP_ROW; i < end; i++) w[i] = 0;
  }
}

/** Time of the side's last packet, µs (0 before one). */
export function lastTime(w: Uint32Array, side: number): number {
  return w[side + S_LAST_HI]! * 0x1_0000_0000 + w[side + S_LAST_LO]!;
}

/** Sets the side's last packet time, µs. */
export function setLastTime(w: Uint32Array, side: number, us: number): void {
  // Uint32Array stores take the value modulo 2^32 (ToUint32): the high
  // word from the quotient, the low word from the time itself.
  w[side + S_LAST_HI] = us / 0x1_0000_0000;
  w[side + S_LAST_LO] = us;
}
