/**
 * POSIX extended regular expressions as ragrep compiles them (glibc
 * regcomp with REG_EXTENDED | REG_NOSUB, C locale: one byte is one
 * character), translated to a JavaScript RegExp over "byte strings" (see
 * `byteString`). ragrep only asks whether a match exists, so POSIX's
 * leftmost-longest rule and JS's leftmost-first give the same answers.
 * glibc's errors keep its regerror texts (checked against the real ragrep).
 * @module
 */

/** A pattern glibc would reject, or one we cannot express. */
export class PosixRegexError extends SyntaxError {
  override name = "PosixRegexError";
  /** True for a valid pattern we cannot translate faithfully. */
  readonly unsupported: boolean;

  constructor(message: string, unsupported = false) {
    super(message);
    this.unsupported = unsupported;
  }
}

// glibc's regerror texts.
const BADPAT = "Invalid regular expression";
const ECOLLATE = "Invalid collation character";
const ECTYPE = "Invalid character class name";
const EESCAPE = "Trailing backslash";
const ESUBREG = "Invalid back reference";
const EBRACK = "Unmatched [, [^, [:, [., or [=";
const EPAREN = "Unmatched ( or \\(";
const EBRACE = "Unmatched \\{";
const BADBR = "Invalid content of \\{\\}";
const ERANGE = "Invalid range end";
const BADRPT = "Invalid preceding regular expression";
const ESIZE = "Regular expression too big";

/** glibc's RE_DUP_MAX: larger bounds are "too big". */
const DUP_MAX = 0x7fff;

/** The C locale's character classes, as byte ranges. */
const CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  digit: "0-9",
  xdigit: "0-9A-Fa-f",
  alnum: "0-9A-Za-z",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  blank: "\\t ",
  cntrl: "\\x00-\\x1f\\x7f",
  print: " -~",
  graph: "!-~",
};

/**
 * The code unit a byte becomes: itself below 0x80, else a private-use
 * character. JS's case folding (flag i) then touches ASCII letters only,
 * as glibc's REG_ICASE does in the C locale (Latin-1 é/É would fold).
 */
export function byteChar(b: number): number {
  return b < 0x80 ? b : 0xe000 + b;
}

/** Bytes as the string a translated pattern runs over. */
export function byteString(
  bytes: Uint8Array,
  from = 0,
  to = bytes.length,
): string {
  let s = "";
  for (let i = from; i < to; i++) s += String.fromCharCode(byteChar(bytes[i]!));
  return s;
}

function literal(b: number): string {
  const c = byteChar(b);
  if (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a)
  ) return String.fromCharCode(c);
  return "\\u" + c.toString(16).padStart(4, "0");
}

/** A parsed piece of the output: its source and whether it can repeat. */
interface Piece {
  src: string;
  /** Anchors and word boundaries: glibc rejects a repeat after them. */
  anchor: boolean;
  /** Already carries a repeat (a second one needs a group around it). */
  repeated: boolean;
  /** The capture groups it holds: numbers from..to (none when from > to). */
  from: number;
  to: number;
}

/** Recursive descent over the pattern's bytes, emitting JS source. */
class Translator {
  readonly #p: Uint8Array;
  #i = 0;
  /** Groups opened so far, and which of them are closed (back references). */
  #groups = 0;
  readonly #closed = new Set<number>();
  /**
   * Back references need care: POSIX fails one to a group that did not
   * take part in the match, JS matches it empty; JS also forgets captures
   * inside a repeated group at each round. So a reference is only taken
   * to a group that surely matched: not under a repeat, and not in an
   * alternative (unless the reference is in the same one).
   */
  readonly #unsure = new Set<number>();

  constructor(pattern: Uint8Array) {
    this.#p = pattern;
  }

  run(): string {
    const src = this.#alternation(0);
    // A ")" with no "(" is an ordinary character, so only the end stops us.
    return src;
  }

  #peek(k = 0): number {
    return this.#p[this.#i + k] ?? -1;
  }

  #alternation(depth: number): string {
    const before = this.#groups;
    const branches = [this.#branch(depth)];
    while (this.#peek() === 0x7c /* | */) {
      this.#i++;
      this.#unsureFrom(before + 1);
      branches.push(this.#branch(depth));
    }
    if (branches.length > 1) this.#unsureFrom(before + 1);
    return branches.join("|");
  }

  #unsureFrom(first: number): void {
    for (let g = first; g <= this.#groups; g++) this.#unsure.add(g);
  }

  #branch(depth: number): string {
    let out = "";
    let last: Piece | null = null;
    for (;;) {
      const c = this.#peek();
      if (c < 0 || c === 0x7c || (c === 0x29 /* ) */ && depth > 0)) break;
      if (c === 0x2a || c === 0x2b || c === 0x3f || c === 0x7b) {
        // * + ? { with nothing to repeat.
        if (last === null || last.anchor) throw new PosixRegexError(BADRPT);
        const q = this.#quantifier();
        last.src = last.repeated ? `(?:${last.src})${q}` : last.src + q;
        last.repeated = true;
        // A group that may match zero times, or one inside a repeat.
        const optional = q[0] === "*" || q[0] === "?" || q.startsWith("{0");
        const group = last.src.startsWith("(") && !last.src.startsWith("(?");
        for (let g = last.from; g <= last.to; g++) {
          if (optional || !group || g > last.from) this.#unsure.add(g);
        }
        continue;
      }
      if (last !== null) out += last.src;
      const before = this.#groups;
      last = this.#atom(depth);
      last.from = before + 1;
      last.to = this.#groups;
    }
    if (last !== null) out += last.src;
    return out;
  }

  #quantifier(): string {
    const c = this.#p[this.#i++]!;
    if (c === 0x2a) return "*";
    if (c === 0x2b) return "+";
    if (c === 0x3f) return "?";
    // "{": {n}, {n,}, {n,m}, {,m}.
    const min = this.#number();
    let max: number | null = min;
    if (this.#peek() === 0x2c /* , */) {
      this.#i++;
      max = this.#number();
    } else if (min === null) {
      if (this.#peek() < 0) throw new PosixRegexError(EBRACE);
      throw new PosixRegexError(BADBR);
    }
    if (this.#peek() < 0) throw new PosixRegexError(EBRACE);
    if (this.#peek() !== 0x7d /* } */) throw new PosixRegexError(BADBR);
    this.#i++;
    const lo = min ?? 0;
    if (max !== null && max < lo) throw new PosixRegexError(BADBR);
    if (lo > DUP_MAX || (max !== null && max > DUP_MAX)) {
      throw new PosixRegexError(ESIZE);
    }
    return max === null
      ? `{${lo},}`
      : max === lo
      ? `{${lo}}`
      : `{${lo},${max}}`;
  }

  #number(): number | null {
    let n: number | null = null;
    for (let c = this.#peek(); c >= 0x30 && c <= 0x39; c = this.#peek()) {
      n = Math.min((n ?? 0) * 10 + (c - 0x30), DUP_MAX + 1);
      this.#i++;
    }
    return n;
  }

  #atom(depth: number): Piece {
    const c = this.#p[this.#i++]!;
    const plain = (src: string): Piece => ({
      src,
      anchor: false,
      repeated: false,
      from: 0,
      to: -1,
    });
    const anchor = (src: string): Piece => ({
      src,
      anchor: true,
      repeated: false,
      from: 0,
      to: -1,
    });
    switch (c) {
      case 0x28: { // (
        const n = ++this.#groups;
        const inner = this.#alternation(depth + 1);
        if (this.#peek() !== 0x29) throw new PosixRegexError(EPAREN);
        this.#i++;
        this.#closed.add(n);
        return plain(`(${inner})`);
      }
      case 0x2e: // .
        return plain("."); // flag s: any character, newline included
      case 0x5e: // ^ anchors anywhere in an ERE
        return anchor("^");
      case 0x24: // $
        return anchor("$");
      case 0x5b: // [
        return plain(this.#bracket());
      case 0x5c: // \
        return this.#escape(plain, anchor);
      default: // ")" at the top level is an ordinary character
        return plain(literal(c));
    }
  }

  #escape(
    plain: (s: string) => Piece,
    anchor: (s: string) => Piece,
  ): Piece {
    const c = this.#p[this.#i++];
    if (c === undefined) throw new PosixRegexError(EESCAPE);
    if (c >= 0x31 && c <= 0x39) {
      const n = c - 0x30;
      if (!this.#closed.has(n)) throw new PosixRegexError(ESUBREG);
      if (this.#unsure.has(n)) {
        throw new PosixRegexError(
          `the back reference \\${n} is to a group that may not match`,
          true,
        );
      }
      return plain(`(?:\\${n})`);
    }
    switch (String.fromCharCode(c)) {
      // GNU extensions; word characters are [0-9A-Za-z_] in the C locale,
      // as JS's \w and \b (non-Unicode mode) take them.
      case "w":
        return plain("\\w");
      case "W":
        return plain("\\W");
      case "s":
        return plain("[\\t\\n\\v\\f\\r ]");
      case "S":
        return plain("[^\\t\\n\\v\\f\\r ]");
      case "b":
        return anchor("\\b");
      case "B":
        return anchor("\\B");
      case "<":
        return anchor("\\b(?=\\w)");
      case ">":
        return anchor("\\b(?<=\\w)");
      case "`":
        return anchor("^");
      case "'":
        return anchor("$");
      default: // any other escaped byte stands for itself (\n is "n")
        return plain(literal(c));
    }
  }

  /** A bracket expression, "[" already read. */
  #bracket(): string {
    const p = this.#p;
    let negate = false;
    if (this.#peek() === 0x5e) {
      negate = true;
      this.#i++;
    }
    const items: string[] = [];
    let first = true;
    for (;;) {
      if (this.#i >= p.length) {
        throw new PosixRegexError(p.length === 1 ? BADPAT : EBRACK);
      }
      if (this.#peek() === 0x5d /* ] */ && !first) {
        this.#i++;
        break;
      }
      first = false;
      const start = this.#element();
      // A range, unless the "-" is the last thing before "]".
      if (
        this.#peek() === 0x2d && this.#peek(1) !== 0x5d &&
        this.#peek(1) >= 0
      ) {
        this.#i++;
        const end = this.#element();
        if (typeof start === "string" || typeof end === "string") {
          throw new PosixRegexError(ERANGE);
        }
        if (end < start) throw new PosixRegexError(ERANGE);
        items.push(`${literal(start)}-${literal(end)}`);
        // A range cannot start where one ends ("[a-c-e]").
        if (this.#peek() === 0x2d && this.#peek(1) !== 0x5d) {
          throw new PosixRegexError(ERANGE);
        }
      } else {
        items.push(typeof start === "string" ? start : literal(start));
      }
    }
    return `[${negate ? "^" : ""}${items.join("")}]`;
  }

  /** One bracket element: a byte, or a class's ranges (a string). */
  #element(): number | string {
    const p = this.#p;
    const c = p[this.#i]!;
    const kind = this.#peek(1);
    if (c === 0x5b && (kind === 0x3a || kind === 0x3d || kind === 0x2e)) {
      // [:name:], [=c=], [.c.]: find the closing "x]".
      let j = this.#i + 2;
      while (j + 1 < p.length && !(p[j] === kind && p[j + 1] === 0x5d)) j++;
      if (j + 1 >= p.length) throw new PosixRegexError(EBRACK);
      const body = p.subarray(this.#i + 2, j);
      this.#i = j + 2;
      if (kind === 0x3a) {
        const ranges = CLASSES[String.fromCharCode(...body)];
        if (ranges === undefined) throw new PosixRegexError(ECTYPE);
        return ranges;
      }
      // The C locale has only single-byte collating elements.
      if (body.length !== 1) throw new PosixRegexError(ECOLLATE);
      return body[0]!;
    }
    this.#i++;
    return c; // a backslash is an ordinary character here
  }
}

/**
 * Translates a POSIX ERE (as the bytes of its UTF-8 text) to the source
 * of an equivalent JS RegExp over `byteString`s, used with flag "s".
 * @throws PosixRegexError with glibc's message for a bad pattern
 */
export function translatePosixEre(pattern: string): string {
  return new Translator(new TextEncoder().encode(pattern)).run();
}

/** Compiles a POSIX ERE as ragrep does; `ignoreCase` is REG_ICASE. */
export function compilePosixEre(pattern: string, ignoreCase: boolean): RegExp {
  const src = translatePosixEre(pattern);
  try {
    return new RegExp(src, ignoreCase ? "si" : "s");
  } catch (e) {
    // A construct our translation cannot express (none known).
    throw new PosixRegexError(
      `Cannot translate "${pattern}": ${(e as Error).message}`,
    );
  }
}
