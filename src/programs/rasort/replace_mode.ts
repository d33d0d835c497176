/**
 * rasort -M replace: each input file, sorted on its own, written to a
 * temporary file beside it (its opening MAR first, then the sorted
 * records) and renamed over it, as the real rasort does.
 * @module
 */

import type { RecordArena } from "../../client/record_arena.ts";

/** Writes `file`'s records in `order` back over `file`. */
export function replaceSorted(
  file: string,
  arena: RecordArena,
  order: Int32Array,
): void {
  if (file === "-") return;
  const head = Deno.readFileSync(file);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    throw new Error(`Cannot replace "${file}": gzip files are not supported`);
  }
  const parts: Uint8Array[] = [];
  // The stream's opening MAR stays first.
  if (head.length >= 4 && (head[0]! & 0x80) !== 0) {
    const len = ((head[2]! << 8) | head[3]!) * 4;
    parts.push(head.subarray(0, len));
  }
  for (const i of order) {
    const rec = arena.read(i);
    parts.push(rec.bytes.slice(rec.start, rec.start + rec.length));
  }
  arena.close();
  const tmp = `${file}.tmp${Math.floor(Math.random() * 100000)}`;
  const f = Deno.openSync(tmp, { write: true, create: true, truncate: true });
  try {
    for (const p of parts) {
      let off = 0;
      while (off < p.length) off += f.writeSync(p.subarray(off));
    }
  } finally {
    f.close();
  }
  Deno.renameSync(tmp, file);
}
