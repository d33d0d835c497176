/**
 * Kept records, compactly: a record read from a plain (uncompressed,
 * seekable) file is kept as where it lies there (file, offset, length)
 * and read back when it is emitted; one from stdin or a gzip stream is
 * copied into fixed-size chunks of bytes. No object per record, no copy
 * of everything when it grows. rasort keeps every selected record here
 * until it sorts them (1M records: ~20 MB of places instead of ~200 MB of
 * bytes).
 * @module
 */

/** Bytes per chunk (a record never spans two chunks; records < 256 KB). */
const CHUNK = 1 << 22;

/** One record's bytes, valid until the next `read`. */
export interface RecordBytes {
  bytes: Uint8Array;
  start: number;
  length: number;
}

/** Records appended in order, read back by index. */
export class RecordArena {
  readonly #chunks: Uint8Array[] = [];
  #fill = CHUNK;
  /** Per record: the file's index (>= 0) or -1 - the chunk's index. */
  #where = new Int32Array(1024);
  /** Per record: offset in the file or in the chunk. */
  #offset = new Float64Array(1024);
  #lengthOf = new Int32Array(1024);
  #count = 0;
  /** Files records are kept by place in (index: #where), and their state. */
  readonly #files: string[] = [];
  readonly #seekable = new Map<string, number>();
  #open: (Deno.FsFile | null)[] = [];
  /** Byte ranges to read as zeros, by record (rare: see `zero`). */
  readonly #zeros = new Map<number, [number, number]>();
  #scratch = new Uint8Array(1 << 16);
  readonly #out: RecordBytes = { bytes: this.#scratch, start: 0, length: 0 };

  /** Records kept so far. */
  get count(): number {
    return this.#count;
  }

  /** Bytes of records copied in (those not kept by place). */
  get heldBytes(): number {
    return this.#chunks.length * CHUNK;
  }

  /**
   * Keeps a record: `file` and `offset` say where it lies in its input
   * (the decompressed stream), `buf[start..start+length)` are its bytes.
   */
  add(
    buf: Uint8Array,
    start: number,
    length: number,
    file: string,
    offset: number,
  ): number {
    const i = this.#count++;
    if (i === this.#where.length) this.#grow();
    const f = this.#fileIndex(file);
    this.#lengthOf[i] = length;
    if (f >= 0) {
      this.#where[i] = f;
      this.#offset[i] = offset;
      return i;
    }
    if (this.#fill + length > CHUNK) {
      this.#chunks.push(new Uint8Array(CHUNK));
      this.#fill = 0;
    }
    const chunk = this.#chunks.length - 1;
    this.#chunks[chunk]!.set(buf.subarray(start, start + length), this.#fill);
    this.#where[i] = -1 - chunk;
    this.#offset[i] = this.#fill;
    this.#fill += length;
    return i;
  }

  /** Record `i` reads as zeros over [from, to) of its bytes. */
  zero(i: number, from: number, to: number): void {
    this.#zeros.set(i, [from, to]);
  }

  /** Record `i`'s bytes (valid until the next call). */
  read(i: number): RecordBytes {
    const where = this.#where[i]!, length = this.#lengthOf[i]!;
    const out = this.#out;
    if (where < 0) {
      out.bytes = this.#chunks[-1 - where]!;
      out.start = this.#offset[i]!;
      out.length = length;
    } else {
      if (this.#scratch.length < length) {
        this.#scratch = new Uint8Array(length * 2);
      }
      const file = this.#openFile(where);
      file.seekSync(this.#offset[i]!, Deno.SeekMode.Start);
      let got = 0;
      while (got < length) {
        const n = file.readSync(this.#scratch.subarray(got, length));
        if (n === null) {
          throw new Error(
            `Cannot read back a record of "${
              this.#files[where]
            }": the file got shorter`,
          );
        }
        got += n;
      }
      out.bytes = this.#scratch;
      out.start = 0;
      out.length = length;
    }
    const z = this.#zeros.get(i);
    if (z !== undefined) {
      if (where < 0) {
        // A copy of its own: the chunk's bytes may be changed in place.
        out.bytes.fill(0, out.start + z[0], out.start + z[1]);
      } else out.bytes.fill(0, z[0], z[1]);
    }
    return out;
  }

  /** Closes the files records were read back from. */
  close(): void {
    for (const f of this.#open) f?.close();
    this.#open = [];
  }

  /** The index of a plain seekable file, or -1 to copy its records. */
  #fileIndex(file: string): number {
    const known = this.#seekable.get(file);
    if (known !== undefined) return known;
    let index = -1;
    if (file !== "-") {
      try {
        const f = Deno.openSync(file);
        const head = new Uint8Array(2);
        const n = f.readSync(head);
        f.close();
        const gzip = n === 2 && head[0] === 0x1f && head[1] === 0x8b;
        if (!gzip && Deno.statSync(file).isFile) {
          index = this.#files.length;
          this.#files.push(file);
        }
      } catch {
        index = -1;
      }
    }
    this.#seekable.set(file, index);
    return index;
  }

  #openFile(index: number): Deno.FsFile {
    let f = this.#open[index];
    if (f === undefined || f === null) {
      f = Deno.openSync(this.#files[index]!);
      this.#open[index] = f;
    }
    return f;
  }

  #grow(): void {
    const n = this.#where.length * 2;
    const where = new Int32Array(n), length = new Int32Array(n);
    const offset = new Float64Array(n);
    where.set(this.#where);
    length.set(this.#lengthOf);
    offset.set(this.#offset);
    this.#where = where;
    this.#lengthOf = length;
    this.#offset = offset;
  }
}
