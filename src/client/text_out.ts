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

/** A set of ASCII bytes for hasByteIn. */
export function byteSet(chars: string, controls = false): Uint8Array {
  const set = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  if (controls) {
    for (let b = 0; b < 0x20; b++) set[b] = 1;
    set[0x7f] = 1;
  }
  return set;
}

function digitCount(x: number): number {
  return x >= 100 ? 3 : x >= 10 ? 2 : 1;
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
    // Blank the room once: padding then only moves past it (one fill per
    // line costs less than a loop per cell).
    const end = Math.min(this.#pos + room, this.#buf.length);
    this.#buf.fill(0x20, this.#pos, end);
    this.#blankTo = end;
  }

  /** The line's bytes from #pos up to here are known to be spaces. */
  #blankTo = 0;

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

  /**
   * Cells are padded to their widths and cut to them (ra's fixed-width
   * text); false for JSON and CSV values: no padding, no cutting.
   */
  padding = true;

  /** sprintf("%*.*s ", len, len, s): `s` right-aligned in `len`, cut to it. */
  putRight(s: string, len: number): void {
    if (s.length > len && this.padding) s = s.slice(0, len);
    this.putSpaces(len - s.length);
    this.putText(s);
    this.putSpaces(1);
  }

  /** sprintf("%-*.*s ", len, len, s). */
  putLeft(s: string, len: number): void {
    if (s.length > len && this.padding) s = s.slice(0, len);
    this.putText(s);
    this.putSpaces(len - s.length + 1);
  }

  /**
   * A whole number right-aligned in `len` and a space, or cut to len - 1
   * digits and '*' when wider (ra's fixed-width counters).
   */
  putCount(n: number, len: number): void {
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    if ((digits > len && this.padding) || n < 0 || !Number.isSafeInteger(n)) {
      const s = String(n);
      this.putRight(s.length > len ? s.slice(0, len - 1) + "*" : s, len);
      return;
    }
    this.putSpaces(len - digits);
    if (this.#pos + digits + 1 > this.#buf.length) this.#grow(digits + 1);
    const buf = this.#buf;
    const end = this.#pos + digits;
    let p = end, x = n;
    do {
      const q = Math.floor(x / 10);
      buf[--p] = 0x30 + x - q * 10;
      x = q;
    } while (x > 0);
    this.#pos = end;
    this.putSpaces(1);
  }

  /** A whole number (0 <= n < 2 ** 32) left-aligned in `len`, a space. */
  putNumberLeft(n: number, len: number): void {
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    this.putDigits(n, digits);
    this.putSpaces(len - digits + 1);
  }

  /**
   * `n` digits of `value` (0 <= value < 10 ** n), zero-padded: a time's
   * fraction.
   */
  putDigits(value: number, n: number): void {
    if (this.#pos + n > this.#buf.length) this.#grow(n);
    const buf = this.#buf;
    let p = this.#pos + n;
    this.#pos = p;
    for (let i = 0; i < n; i++) {
      const q = Math.floor(value / 10);
      buf[--p] = 0x30 + value - q * 10;
      value = q;
    }
  }

  /** The dotted quad at b[at..at+4), right-aligned in `len`, and a space. */
  putIpv4(b: Uint8Array, at: number, len: number): void {
    const a0 = b[at]!, a1 = b[at + 1]!, a2 = b[at + 2]!, a3 = b[at + 3]!;
    const size = 3 + digitCount(a0) + digitCount(a1) + digitCount(a2) +
      digitCount(a3);
    this.putSpaces(len - size);
    if (this.#pos + size + 1 > this.#buf.length) this.#grow(size + 1);
    this.#octet(a0);
    this.#buf[this.#pos++] = 0x2e;
    this.#octet(a1);
    this.#buf[this.#pos++] = 0x2e;
    this.#octet(a2);
    this.#buf[this.#pos++] = 0x2e;
    this.#octet(a3);
    this.#buf[this.#pos++] = 0x20;
  }

  #octet(x: number): void {
    const buf = this.#buf;
    if (x >= 100) {
      buf[this.#pos++] = 0x30 + Math.floor(x / 100);
      x %= 100;
      buf[this.#pos++] = 0x30 + Math.floor(x / 10);
    } else if (x >= 10) buf[this.#pos++] = 0x30 + Math.floor(x / 10);
    buf[this.#pos++] = 0x30 + (x % 10);
  }

  /** `n` spaces (none when n <= 0). */
  putSpaces(n: number): void {
    if (n <= 0 || !this.padding) return;
    const end = this.#pos + n;
    if (end <= this.#blankTo) {
      this.#pos = end;
      return;
    }
    if (end > this.#buf.length) this.#grow(n);
    // A loop: fill() costs more than it saves on a few bytes.
    const buf = this.#buf;
    let p = this.#pos;
    for (const stop = p + n; p < stop; p++) buf[p] = 0x20;
    this.#pos = p;
  }

  /** Where the line being built ends now (a mark for hasTextAfter). */
  get mark(): number {
    return this.#pos;
  }

  /** Whether the line has a non-blank byte after `mark`. */
  hasTextAfter(mark: number): boolean {
    for (let p = mark; p < this.#pos; p++) {
      if (!isBlank(this.#buf[p]!)) return true;
    }
    return false;
  }

  /** Drops the blanks around what was written after `mark`. */
  trimFrom(mark: number): void {
    const buf = this.#buf;
    let start = mark, end = this.#pos;
    while (start < end && isBlank(buf[start]!)) start++;
    while (end > start && isBlank(buf[end - 1]!)) end--;
    // A loop: copyWithin costs more than it saves on a few bytes.
    let to = mark;
    if (start > mark) { for (let p = start; p < end; p++) buf[to++] = buf[p]!; }
    else to = end;
    this.#pos = to;
    this.#blankTo = 0;
  }

  /** Forgets what was written after `mark`. */
  rewind(mark: number): void {
    this.#pos = mark;
    this.#blankTo = 0;
  }

  /** Whether some byte written after `mark` is in `set` (a 128-bit mask). */
  hasByteIn(mark: number, set: Uint8Array): boolean {
    const buf = this.#buf;
    for (let p = mark; p < this.#pos; p++) {
      const b = buf[p]!;
      if (b >= 128 || set[b] === 1) return true;
    }
    return false;
  }

  /** The byte just before `mark` (-1 at the start of the line). */
  byteBefore(mark: number): number {
    return mark > this.#lineStart ? this.#buf[mark - 1]! : -1;
  }

  /** Replaces the byte just before `mark`. */
  setByteBefore(mark: number, b: number): void {
    this.#buf[mark - 1] = b;
  }

  /** Ends the line: trailing blanks dropped, a newline added. */
  endLine(): void {
    const buf = this.#buf;
    let p = this.#pos;
    while (p > this.#lineStart && isBlank(buf[p - 1]!)) p--;
    if (p + 1 > buf.length) {
      this.#pos = p;
      this.#grow(1);
      p = this.#pos;
    }
    const out = this.#buf;
    out[p++] = 0x0a;
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
    this.#blankTo = 0;
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
    this.#blankTo = 0;
  }

  #write(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      off += this.#sink.writeSync(bytes.subarray(off));
    }
  }
}
