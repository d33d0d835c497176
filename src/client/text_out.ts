/**
 * Buffered output of a client: text lines gathered and written in large
 * blocks, and raw bytes (records for `-w -`) through the same sink, so the
 * two never interleave out of order.
 * @module
 */

/** Where a client's output goes (standard output, or a test's buffer). */
export interface TextSink {
  writeSync(p: Uint8Array): number;
}

/** Flush once this many characters are waiting. */
const FLUSH_AT = 1 << 20;

/** Lines and bytes, buffered in front of a sink. */
export class TextOut {
  #parts: string[] = [];
  #size = 0;
  readonly #encoder = new TextEncoder();
  readonly #sink: TextSink;

  constructor(sink: TextSink) {
    this.#sink = sink;
  }

  /** Appends one line (the newline is added). */
  push(line: string): void {
    this.#parts.push(line, "\n");
    this.#size += line.length + 1;
    if (this.#size >= FLUSH_AT) this.flush();
  }

  /** Writes bytes after everything pushed so far. */
  pushBytes(bytes: Uint8Array): void {
    this.flush();
    this.#write(bytes);
  }

  /** Writes what is buffered. */
  flush(): void {
    if (this.#parts.length === 0) return;
    const bytes = this.#encoder.encode(this.#parts.join(""));
    this.#parts = [];
    this.#size = 0;
    this.#write(bytes);
  }

  #write(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      off += this.#sink.writeSync(bytes.subarray(off));
    }
  }
}
