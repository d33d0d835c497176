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

/** Flush once this many bytes are waiting. */
const FLUSH_AT = 1 << 20;

/** Lines and bytes, buffered in front of a sink. */
export class TextOut {
  /** Encoded lines not yet written; room for FLUSH_AT plus a long line. */
  #buf = new Uint8Array(FLUSH_AT * 2);
  #pos = 0;
  readonly #encoder = new TextEncoder();
  readonly #sink: TextSink;

  constructor(sink: TextSink) {
    this.#sink = sink;
  }

  /** Appends one line (the newline is added). */
  push(line: string): void {
    // UTF-16 units to UTF-8 bytes: at most three bytes each.
    if (this.#pos + line.length * 3 + 1 > this.#buf.length) {
      this.flush();
      if (line.length * 3 + 1 > this.#buf.length) {
        this.#buf = new Uint8Array(line.length * 3 + 1);
      }
    }
    const { written } = this.#encoder.encodeInto(
      line,
      this.#buf.subarray(this.#pos),
    );
    this.#pos += written;
    this.#buf[this.#pos++] = 0x0a;
    if (this.#pos >= FLUSH_AT) this.flush();
  }

  /** Writes bytes after everything pushed so far. */
  pushBytes(bytes: Uint8Array): void {
    this.flush();
    this.#write(bytes);
  }

  /** Writes what is buffered. */
  flush(): void {
    if (this.#pos === 0) return;
    this.#write(this.#buf.subarray(0, this.#pos));
    this.#pos = 0;
  }

  #write(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      off += this.#sink.writeSync(bytes.subarray(off));
    }
  }
}
