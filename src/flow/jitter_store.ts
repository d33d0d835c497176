/**
 * -J packet timing of every flow (argus's ArgusJitterStruct: active and
 * idle inter-packet statistics per direction) as rows of one
 * Float64Array: 176 bytes a flow instead of five objects and sixteen boxed
 * numbers (~600 bytes of heap), nothing for the garbage collector to
 * trace. Values are the numbers the objects held: min, max and sum
 * rounded to 32-bit floats and the sum of squares to an integer, as
 * argus keeps them.
 * @module
 */

import { RowStore } from "./row_store.ts";

/** Direction offsets from a row's base. */
export const J_SRC = 0;
export const J_DST = 11;

/** Words of a direction: the last packet time, then two statistics. */
export const J_LAST = 0;
export const J_ACTIVE = 1;
export const J_IDLE = 6;

/** Words of a statistic (ArgusTimeStats). */
export const T_N = 0;
export const T_MIN = 1;
export const T_MAX = 2;
export const T_SUM = 3;
export const T_SUMSQ = 4;

/** Numbers per row. */
const JITTER_ROW = 22;

/** A statistic's minimum before its first gap. */
const NO_MIN = 0xffffffff;

/** Rows of -J state, handed out and taken back by row base. */
export class JitterStore extends RowStore<Float64Array<ArrayBuffer>> {
  constructor(initialRows = 256) {
    super(JITTER_ROW, initialRows, (b) => new Float64Array(b));
  }

  /** No packets, no gaps yet. */
  protected initRow(base: number): void {
    const w = this.words;
    w[base + J_SRC + J_LAST] = w[base + J_DST + J_LAST] = 0;
    this.clearStats(base);
  }

  /**
   * Starts the statistics afresh (each record does), keeping the last
   * packet times: the first gap after a record counts.
   */
  clearStats(base: number): void {
    const w = this.words;
    clearStat(w, base + J_SRC + J_ACTIVE);
    clearStat(w, base + J_SRC + J_IDLE);
    clearStat(w, base + J_DST + J_ACTIVE);
    clearStat(w, base + J_DST + J_IDLE);
  }
}

function clearStat(w: Float64Array, at: number): void {
  w[at + T_N] =
    w[at + T_MAX] =
    w[at + T_SUM] =
    w[at + T_SUMSQ] =
      0;
  w[at + T_MIN] = NO_MIN;
}
