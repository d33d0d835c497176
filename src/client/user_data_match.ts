/**
 * ragrep's test of a record's captured user data (`argus -U N`; the user
 * data DSRs, docs/record-format.md §9) against its regular expressions,
 * as ArgusGrepUserData in the real clients does it: each side's padded
 * buffer is cut at NUL bytes into C strings (the last one ends at the
 * buffer's end), and a side matches when one of its strings does.
 * @module
 */

import { DsrType } from "../record/record_view.ts";
import { UserDataSubtype } from "../record/dsr/user_data_dsr.ts";
import type { ClientRecord } from "./client_record.ts";
import { byteString } from "./posix_ere.ts";

/** What ragrep greps for. */
export interface UserDataGrep {
  /** The compiled patterns, in ragrep's order (-e first, then -f lines). */
  patterns: readonly RegExp[];
  /** Whether the source / destination buffers are searched (-e s:, d:). */
  source: boolean;
  destination: boolean;
  /** -v: keep the records that do not match. */
  invert: boolean;
}

/** Whether some NUL-separated string of `buf[from..to)` matches `re`. */
function grepBuffer(
  re: RegExp,
  buf: Uint8Array,
  from: number,
  to: number,
): boolean {
  // As ArgusGrepBuf: every string starting at or before `to` is tried, so
  // a buffer with a NUL inside (or padding) also offers an empty string.
  for (let p = from; p <= to;) {
    let e = p;
    while (e < to && buf[e] !== 0) e++;
    if (re.test(byteString(buf, p, e))) return true;
    p = e + 1;
  }
  return false;
}

/**
 * Offsets of a record's source and destination user data DSRs in its
 * buffer (`at[0]`, `at[1]`; -1 when absent), sides as ra shows them: the
 * last DSR of each side wins (ArgusGenerateRecordStruct), and a record ra
 * turned round has its sides swapped (ArgusReverseRecord).
 */
export function findUserData(r: ClientRecord, at: Int32Array): void {
  const v = r.view, buf = v.buf;
  let src = -1, dst = -1;
  if (!v.isMar) {
    const end = v.start + v.length;
    for (let p = v.start + 4; p + 4 <= end;) {
      const type = buf[p]! & 0x7f;
      const words = type === DsrType.DATA
        ? (buf[p + 2]! << 8) | buf[p + 3]!
        : buf[p + 3]!;
      if (words === 0 || p + words * 4 > end) break;
      if (type === DsrType.DATA && words >= 2) {
        if (buf[p + 1]! & UserDataSubtype.SRC_DATA) src = p;
        else dst = p;
      }
      p += words * 4;
    }
  }
  at[0] = r.turned ? dst : src;
  at[1] = r.turned ? src : dst;
}

/** Tests records' user data; one instance serves every record. */
export class UserDataMatcher {
  readonly #grep: UserDataGrep;
  readonly #at = new Int32Array(2);

  constructor(grep: UserDataGrep) {
    this.#grep = grep;
  }

  /** Whether ragrep keeps `r` (its grep, -v applied). */
  matches(r: ClientRecord): boolean {
    const g = this.#grep;
    const buf = r.view.buf;
    findUserData(r, this.#at);
    const src = this.#at[0]!, dst = this.#at[1]!;
    let found = 0;
    if (g.source && src >= 0) {
      const words = (buf[src + 2]! << 8) | buf[src + 3]!;
      for (const re of g.patterns) {
        if (grepBuffer(re, buf, src + 8, src + words * 4)) {
          found++;
          break;
        }
      }
    }
    // The real ragrep tries only the first pattern on the destination
    // side (its loop breaks unconditionally); we copy that.
    if (dst >= 0 && g.destination && g.patterns.length > 0) {
      const words = (buf[dst + 2]! << 8) | buf[dst + 3]!;
      if (grepBuffer(g.patterns[0]!, buf, dst + 8, dst + words * 4)) found++;
    }
    return g.invert ? found === 0 : found > 0;
  }
}
