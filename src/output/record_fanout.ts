/**
 * One record stream to every -w output, each behind its own optional
 * record filter; each output starts with an opening management record and
 * ends with a closing one (argus ArgusOutput). Blocks arrive as whole
 * records, so filtering walks record headers only.
 * @module
 */

import { marBytes, type MarFields } from "./mar_encoder.ts";
import type { RecordSink } from "./record_sink.ts";

/**
 * A record filter over one encoded record (header included) at
 * `buf[start..start+length)`, read in place.
 */
export type RecordFilter = (
  buf: Uint8Array,
  start: number,
  length: number,
) => boolean;

/** One output and its filter. */
export interface FanoutTarget {
  sink: RecordSink;
  filter?: RecordFilter;
}

/** Writes each record block to every target. */
export class RecordFanout {
  readonly #targets: FanoutTarget[];
  /** Records written, per target. */
  readonly written: number[];

  constructor(targets: FanoutTarget[]) {
    this.#targets = targets;
    this.written = targets.map(() => 0);
  }

  /**
   * Writes a management record to every output. The opening MAR (cause
   * START) describes the stream and is always written; later ones go
   * through each output's filter, as in argus (`-w f "tcp"` ends with no
   * closing MAR, `-w f "man"` keeps it).
   */
  async mar(fields: MarFields): Promise<void> {
    const bytes = marBytes(fields);
    const opening = fields.cause === 0x10;
    if (opening) this.#setOpening(fields);
    await Promise.all(
      this.#targets.map((t) =>
        opening ? t.sink.write(bytes) : t.filter === undefined ||
            t.filter(bytes, 0, bytes.length)
          ? writeMar(t.sink, bytes)
          : undefined
      ),
    );
  }

  /**
   * Gives each file the opening MAR to start with should it be empty when
   * a full disk lets it write again: this stream's, stamped with the time.
   */
  #setOpening(fields: MarFields): void {
    const make = () => marBytes({ ...fields, now: Date.now() * 1000 });
    for (const t of this.#targets) {
      if ("opening" in t.sink) t.sink.opening = make;
    }
  }

  /**
   * Reopens every file output whose path was renamed or removed (or every
   * file output when `force`), starting each new file with an opening MAR
   * as a fresh output. Records written before stay in the old file, so
   * nothing is lost or written twice across the switch.
   * @returns the number of files reopened
   */
  async rotate(opening: MarFields, force = false): Promise<number> {
    let bytes: Uint8Array | null = null;
    let n = 0;
    for (const t of this.#targets) {
      const sink = t.sink;
      if (sink.reopen === undefined || sink.moved === undefined) continue;
      if (!force && !(await sink.moved())) continue;
      await sink.reopen();
      bytes ??= marBytes(opening);
      this.#setOpening(opening);
      await sink.write(bytes);
      n++;
    }
    return n;
  }

  /** Writes a block of whole records. */
  async write(block: Uint8Array): Promise<void> {
    await Promise.all(this.#targets.map((t, i) => this.#writeTo(t, i, block)));
  }

  async #writeTo(t: FanoutTarget, i: number, block: Uint8Array): Promise<void> {
    if (t.filter === undefined) {
      this.written[i]! += countRecords(block);
      await t.sink.write(block);
      return;
    }
    // Keep runs of passing records together to write in few calls.
    const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    let runStart = -1;
    let off = 0;
    const pending: Uint8Array[] = [];
    while (off + 4 <= block.length) {
      const len = view.getUint16(off + 2) * 4;
      if (len === 0) break;
      if (t.filter(block, off, len)) {
        if (runStart < 0) runStart = off;
        this.written[i]!++;
      } else if (runStart >= 0) {
        pending.push(block.subarray(runStart, off));
        runStart = -1;
      }
      off += len;
    }
    if (runStart >= 0) pending.push(block.subarray(runStart, off));
    for (const part of pending) await t.sink.write(part);
  }

  /** Closes every output. */
  async close(): Promise<void> {
    await Promise.all(this.#targets.map((t) => t.sink.close()));
  }
}

/** Number of records in a block of whole records. */
export function countRecords(block: Uint8Array): number {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  let n = 0;
  for (let off = 0; off + 4 <= block.length; n++) {
    const len = view.getUint16(off + 2) * 4;
    if (len === 0) break;
    off += len;
  }
  return n;
}

/**
 * The end of the last whole record within the first `n` bytes of a block
 * of whole records: where a short write must be cut back to.
 */
export function recordBoundary(block: Uint8Array, n: number): number {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  let off = 0;
  while (off + 4 <= block.length) {
    const len = view.getUint16(off + 2) * 4;
    if (len === 0 || off + len > n) break;
    off += len;
  }
  return off;
}

/** A status or closing MAR, through the sink's own counts if it has them. */
function writeMar(sink: RecordSink, bytes: Uint8Array): Promise<void> {
  return sink.writeMar ? sink.writeMar(bytes) : sink.write(bytes);
}
