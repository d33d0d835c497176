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

/** Whitespace that String.prototype.trimEnd drops (ASCII part). */
function isBlank(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
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

  // --- building a line in place (RecordPrinter.writeLine) -------------------

  #lineStart = 0;

  /** Starts a line of about `room` bytes (it may grow). */
  beginLine(room: number): void {
    if (this.#pos + room > this.#buf.length) this.flush();
    this.#lineStart = this.#pos;
  }

  /** Appends text to the line. */
  putText(s: string): void {
    const n = s.length;
    if (this.#pos + n * 3 + 1 > this.#buf.length) this.#grow(n * 3 + 1);
    const buf = this.#buf;
    let p = this.#pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        // Rare: leave the rest to the UTF-8 encoder.
        p += this.#encoder.encodeInto(s.slice(i), buf.subarray(p)).written;
        break;
      }
      buf[p++] = c;
    }
    this.#pos = p;
  }

  /** The line's last byte, or -1 when it is empty. */
  lastByte(): number {
    return this.#pos > this.#lineStart ? this.#buf[this.#pos - 1]! : -1;
  }

  /** Replaces the line's last byte. */
  setLastByte(b: number): void {
    this.#buf[this.#pos - 1] = b;
  }

  /** Ends the line: trailing blanks dropped, a newline added. */
  endLine(): void {
    const buf = this.#buf;
    let p = this.#pos;
    while (p > this.#lineStart && isBlank(buf[p - 1]!)) p--;
    buf[p++] = 0x0a;
    this.#pos = p;
    if (p >= FLUSH_AT) this.flush();
  }

  /** Makes room for `n` more bytes, keeping the line being built. */
  #grow(n: number): void {
    const line = this.#buf.subarray(this.#lineStart, this.#pos);
    const size = Math.max(this.#buf.length, (line.length + n) * 2);
    const next = new Uint8Array(size);
    // Everything before the line goes out first.
    const before = this.#buf.subarray(0, this.#lineStart);
    if (before.length > 0) this.#write(before);
    next.set(line);
    this.#buf = next;
    this.#pos = line.length;
    this.#lineStart = 0;
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
