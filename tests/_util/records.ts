/**
 * Record-level comparison for tests: splits a record file into records,
 * drops management records (their wall-clock fields never match), and
 * describes the first difference DSR by DSR in hex.
 * @module
 */

/** The flow records of a file, in order (MARs left out). */
export function flowRecords(file: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  for (let off = 0; off + 4 <= file.length;) {
    const len = v.getUint16(off + 2) * 4;
    if (len === 0) break;
    if (!(file[off]! & 0x80)) out.push(file.subarray(off, off + len));
    off += len;
  }
  return out;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** One line per DSR: type/subtype/qualifier and the body in hex. */
export function describeRecord(r: Uint8Array): string[] {
  const lines = [`header ${hex(r.subarray(0, 4))}`];
  const v = new DataView(r.buffer, r.byteOffset, r.byteLength);
  for (let p = 4; p + 4 <= r.length;) {
    let words = r[p + 3]!;
    if (r[p] === 0x50) words = v.getUint16(p + 2);
    if (words === 0) break;
    lines.push(
      `${hex(r.subarray(p, p + 4))} ${hex(r.subarray(p + 4, p + words * 4))}`,
    );
    p += words * 4;
  }
  return lines;
}

/**
 * Compares two record files' flow records; returns null when they are the
 * same, else a description of the first difference.
 */
export function firstRecordDifference(
  expected: Uint8Array,
  actual: Uint8Array,
): string | null {
  const e = flowRecords(expected), a = flowRecords(actual);
  const n = Math.min(e.length, a.length);
  for (let i = 0; i < n; i++) {
    const x = e[i]!, y = a[i]!;
    if (x.length === y.length && x.every((b, k) => b === y[k])) continue;
    const dx = describeRecord(x), dy = describeRecord(y);
    const lines = [`record ${i} differs:`];
    for (let k = 0; k < Math.max(dx.length, dy.length); k++) {
      if (dx[k] === dy[k]) lines.push(`    ${dx[k]}`);
      else lines.push(`  - ${dx[k] ?? ""}`, `  + ${dy[k] ?? ""}`);
    }
    return lines.join("\n");
  }
  if (e.length !== a.length) {
    return `record counts differ: expected ${e.length}, ours ${a.length}`;
  }
  return null;
}
