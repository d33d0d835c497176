/**
 * What every rasort sort field is built from: the SortKey contract (values
 * taken per record into typed arrays, compared by index), the growable
 * typed-array columns, and argus's -v turn of a comparison's sign.
 * @module
 */

import type { ClientRecord } from "./client_record.ts";

/** One -m field over the kept records. */
export interface SortKey {
  /** Takes the values of record `i` (records come in order, from 0). */
  add(r: ClientRecord, i: number): void;
  /** ArgusSortRoutine's answer for this field: > 0 puts `a` after `b`. */
  compare(a: number, b: number): number;
}

/** The typed arrays the keys keep their values in. */
export type Column =
  | Float64Array<ArrayBuffer>
  | Float32Array<ArrayBuffer>
  | Int32Array<ArrayBuffer>
  | Uint32Array<ArrayBuffer>
  | Int16Array<ArrayBuffer>
  | Uint16Array<ArrayBuffer>
  | Int8Array<ArrayBuffer>
  | Uint8Array<ArrayBuffer>;

/** Grows a column (doubling) so that index `i` fits. */
export function fit<T extends Column>(a: T, i: number): T {
  if (i < a.length) return a;
  const make = a.constructor as new (n: number) => T;
  const b = new make(Math.max(1024, a.length * 2));
  b.set(a as never);
  return b;
}

/** argus's -v: the sign turned (its early returns excepted). */
export function turn(retn: number, reverse: boolean): number {
  return reverse ? (retn > 0 ? -1 : retn < 0 ? 1 : 0) : retn;
}
