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

/** A parsed piece of the output, and what the anchors around it need. */
interface Piece {
  src: string;
  /** Anchors and word boundaries: glibc rejects a repeat after them. */
  anchor: boolean;
  /** Already carries a repeat (a second one needs a group around it). */
  repeated: boolean;
  /**
   * When it is one atom with a plain repeat (*, + or ?): the atom and the
   * repeat, so that a second repeat can be merged into it.
   */
  base?: string | undefined;
  q?: string | undefined;
  /** The capture groups it holds: numbers from..to (none when from > to). */
  from: number;
  to: number;
  /** It may match a newline byte. */
  nl: boolean;
  /** It matches at least one byte. */
  nonEmpty: boolean;
  /** It holds a "^" or "$". */
  lineAnchor: boolean;
  /** Its "$"s whose following bytes are still to come. */
  dollars: Dollar[];
}

/**
 * A "$" inside a pattern, decided once what follows it is known: glibc's
 * matcher takes "^" after, and "$" before, a newline that the match itself
 * consumes (its DFA's newline context), though REG_NEWLINE is off; at the
 * match's edges they are the string's ends only. (Checked with the real
 * ragrep: ".^Host" matches after "\r\n", "x*^Host" does not.)
 */
interface Dollar {
  /** Its placeholder in the output. */
  mark: string;
  /** What follows may match a newline; it matches at least one byte. */
  nl: boolean;
  nonEmpty: boolean;
}

/** The context of a branch: what precedes it in the enclosing ones. */
interface Prefix {
  nl: boolean;
  nonEmpty: boolean;
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
  /** Per closed group: whether it may match a newline, and at least a byte. */
  readonly #groupNl = new Map<number, boolean>();
  readonly #groupNonEmpty = new Map<number, boolean>();
  readonly #dollars: Dollar[] = [];

  constructor(pattern: Uint8Array) {
    this.#p = pattern;
  }

  run(): string {
    // A ")" with no "(" is an ordinary character, so only the end stops us.
    const top = this.#alternation(0, { nl: false, nonEmpty: false });
    let src = top.src;
    for (const d of this.#dollars) {
      // Nothing after it can be a newline: the end of the string only. A
      // newline it may take must be consumed: one byte at least follows.
      if (d.nl && !d.nonEmpty) throw unexpressible("$");
      src = src.replace(d.mark, d.nl ? "(?:$|(?=\\n))" : "$");
    }
    return src;
  }

  #peek(k = 0): number {
    return this.#p[this.#i + k] ?? -1;
  }

  #alternation(depth: number, prefix: Prefix): Piece {
    const before = this.#groups;
    const branches = [this.#branch(depth, prefix)];
    while (this.#peek() === 0x7c /* | */) {
      this.#i++;
      this.#unsureFrom(before + 1);
      branches.push(this.#branch(depth, prefix));
    }
    if (branches.length > 1) this.#unsureFrom(before + 1);
    return {
      src: branches.map((b) => b.src).join("|"),
      anchor: false,
      repeated: false,
      from: 0,
      to: -1,
      nl: branches.some((b) => b.nl),
      nonEmpty: branches.every((b) => b.nonEmpty),
      lineAnchor: branches.some((b) => b.lineAnchor),
      dollars: branches.flatMap((b) => b.dollars),
      ...(branches.length === 1 && branches[0]!.q !== undefined
        ? { base: branches[0]!.base!, q: branches[0]!.q }
        : {}),
    };
  }

  #unsureFrom(first: number): void {
    for (let g = first; g <= this.#groups; g++) this.#unsure.add(g);
  }

  /** A concatenation; its "$"s see each piece that follows them. */
  #branch(depth: number, prefix: Prefix): Piece {
    let out = "";
    const all: Piece = {
      src: "",
      anchor: false,
      repeated: false,
      from: 0,
      to: -1,
      nl: false,
      nonEmpty: false,
      lineAnchor: false,
      dollars: [],
    };
    let last: Piece | null = null;
    let count = 0;
    const add = (piece: Piece) => {
      count++;
      all.base = piece.repeated ? piece.base : undefined;
      all.q = piece.repeated ? piece.q : undefined;
      out += piece.src;
      for (const d of all.dollars) {
        d.nl ||= piece.nl;
        d.nonEmpty ||= piece.nonEmpty;
      }
      all.dollars.push(...piece.dollars);
      all.nl ||= piece.nl;
      all.nonEmpty ||= piece.nonEmpty;
      all.lineAnchor ||= piece.lineAnchor;
    };
    for (;;) {
      const c = this.#peek();
      if (c < 0 || c === 0x7c || (c === 0x29 /* ) */ && depth > 0)) break;
      if (c === 0x2a || c === 0x2b || c === 0x3f || c === 0x7b) {
        // * + ? { with nothing to repeat.
        if (last === null || last.anchor) throw new PosixRegexError(BADRPT);
        const q = this.#quantifier();
        // A repeated "^" or "$" may meet a newline of an earlier round.
        if (last.lineAnchor && last.nl) throw unexpressible("^ or $");
        last.src = this.#repeat(last, q);
        // A group that may match zero times, or one inside a repeat.
        const optional = q[0] === "*" || q[0] === "?" || q.startsWith("{0");
        if (optional) last.nonEmpty = false;
        const group = last.src.startsWith("(") && !last.src.startsWith("(?");
        for (let g = last.from; g <= last.to; g++) {
          if (optional || !group || g > last.from) this.#unsure.add(g);
        }
        continue;
      }
      if (last !== null) add(last);
      const before = this.#groups;
      last = this.#atom(depth, {
        nl: prefix.nl || all.nl,
        nonEmpty: prefix.nonEmpty || all.nonEmpty,
      });
      last.from = before + 1;
      last.to = this.#groups;
    }
    if (last !== null) add(last);
    all.src = out;
    if (count !== 1) all.base = all.q = undefined;
    return all;
  }

  /**
   * `piece` repeated by `q`. Repeats of repeats are merged where that is
   * the same language ("a**" is "a*", "(x+)*" is "(x*)"): JS backtracks
   * through nested repeats exponentially, glibc's DFA does not.
   */
  #repeat(piece: Piece, q: string): string {
    const plain = q === "*" || q === "+" || q === "?";
    if (plain && piece.q !== undefined) {
      const merged = piece.q === q && q !== "*" ? q : "*";
      if (piece.repeated) {
        piece.q = merged;
        return piece.base! + merged;
      }
      // A group holding one repeated atom: the repeat moves inside (its
      // capture then differs, but a reference to it is refused anyway).
      if (q !== "+") {
        piece.q = merged;
        return `(${piece.base!}${merged})`;
      }
    }
    const src = piece.repeated ? `(?:${piece.src})${q}` : piece.src + q;
    piece.base = plain && !piece.repeated ? piece.src : undefined;
    piece.q = plain && !piece.repeated ? q : undefined;
    piece.repeated = true;
    return src;
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

  #atom(depth: number, prefix: Prefix): Piece {
    const c = this.#p[this.#i++]!;
    switch (c) {
      case 0x28: { // (
        const n = ++this.#groups;
        const inner = this.#alternation(depth + 1, prefix);
        if (this.#peek() !== 0x29) throw new PosixRegexError(EPAREN);
        this.#i++;
        this.#closed.add(n);
        this.#groupNl.set(n, inner.nl);
        this.#groupNonEmpty.set(n, inner.nonEmpty);
        return { ...inner, src: `(${inner.src})` };
      }
      case 0x2e: // .
        return piece(".", true); // flag s: any character, newline included
      case 0x5e: { // ^ anchors anywhere in an ERE
        // Only a newline this match consumed can come before it: none, or
        // one of a prefix that takes a byte at least.
        if (!prefix.nl) return anchor("^", true);
        if (!prefix.nonEmpty) throw unexpressible("^");
        return anchor("(?:^|(?<=\\n))", true);
      }
      case 0x24: { // $, decided at the end (see Dollar)
        const d: Dollar = {
          mark: `\uf8f0${this.#dollars.length}\uf8f1`,
          nl: false,
          nonEmpty: false,
        };
        this.#dollars.push(d);
        return { ...anchor(d.mark, true), dollars: [d] };
      }
      case 0x5b: { // [
        const [src, nl] = this.#bracket();
        return piece(src, nl);
      }
      case 0x5c: // \
        return this.#escape();
      default: // ")" at the top level is an ordinary character
        return piece(literal(c), c === 0x0a);
    }
  }

  #escape(): Piece {
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
      const ref = piece(`(?:\\${n})`, this.#groupNl.get(n)!);
      ref.nonEmpty = this.#groupNonEmpty.get(n)!;
      return ref;
    }
    switch (String.fromCharCode(c)) {
      // GNU extensions; word characters are [0-9A-Za-z_] in the C locale,
      // as JS's \w and \b (non-Unicode mode) take them.
      case "w":
        return piece("\\w");
      case "W":
        return piece("\\W", true);
      case "s":
        return piece("[\\t\\n\\v\\f\\r ]", true);
      case "S":
        return piece("[^\\t\\n\\v\\f\\r ]");
      case "b":
        return anchor("\\b");
      case "B":
        return anchor("\\B");
      case "<":
        return anchor("\\b(?=\\w)");
      case ">":
        return anchor("\\b(?<=\\w)");
      // The buffer's own ends, newlines or not.
      case "`":
        return anchor("(?<![^])");
      case "'":
        return anchor("(?![^])");
      default: // any other escaped byte stands for itself (\n is "n")
        return piece(literal(c));
    }
  }

  /** A bracket expression, "[" already read: its source, and newline in. */
  #bracket(): [string, boolean] {
    const p = this.#p;
    let negate = false;
    if (this.#peek() === 0x5e) {
      negate = true;
      this.#i++;
    }
    const items: string[] = [];
    let newline = false;
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
        newline ||= start <= 0x0a && end >= 0x0a;
        // A range cannot start where one ends ("[a-c-e]").
        if (this.#peek() === 0x2d && this.#peek(1) !== 0x5d) {
          throw new PosixRegexError(ERANGE);
        }
      } else if (typeof start === "string") {
        items.push(start);
        newline ||= start.includes("\\n") || start.includes("\\x00-\\x1f");
      } else {
        items.push(literal(start));
        newline ||= start === 0x0a;
      }
    }
    return [`[${negate ? "^" : ""}${items.join("")}]`, newline !== negate];
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

/** A piece that matches one byte; `nl` when it may be a newline. */
function piece(src: string, nl = false): Piece {
  return {
    src,
    anchor: false,
    repeated: false,
    from: 0,
    to: -1,
    nl,
    nonEmpty: true,
    lineAnchor: false,
    dollars: [],
  };
}

/** A zero-width piece; `line` for "^" and "$". */
function anchor(src: string, line = false): Piece {
  return { ...piece(src), anchor: true, nonEmpty: false, lineAnchor: line };
}

function unexpressible(what: string): PosixRegexError {
  return new PosixRegexError(
    `a "${what}" next to a part that may match a newline`,
    true,
  );
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
