/**
 * Recursive-descent parser for ra/argus filter expressions (ra(1) "FILTER
 * EXPRESSION"), following argus's tcpdump-derived grammar as measured
 * with the real ra 3.0.8.2: `and` and `or` have equal precedence and
 * associate left to right; a bare id after `and`/`or` reuses the last
 * primitive's qualifiers (`port 80 or 443`), but not its comparison
 * operator (`pkts gt 9 or 2` means `pkts gt 9 or pkts eq 2`); a
 * parenthesised expression passes on the qualifiers from before it.
 * @module
 */

import { parseIPv4, parseIPv6, parseMac } from "./address_literals.ts";
import type {
  CompareOp,
  FilterDirection,
  FilterField,
  FilterKeyword,
  FilterNode,
  HostScope,
} from "./filter_ast.ts";
import { type FilterToken, tokenizeFilter } from "./filter_lexer.ts";
import { FilterSyntaxError } from "./filter_syntax_error.ts";
import { ProtocolsTable } from "./protocols_table.ts";
import { ServicesTable } from "./services_table.ts";

/** Name services the parser may consult. */
export interface ParseFilterOptions {
  /** Port names. @default ServicesTable.system() (/etc/services) */
  services?: ServicesTable;
  /** IP protocol names. @default ProtocolsTable.system() (/etc/protocols) */
  protocols?: ProtocolsTable;
  /**
   * Host name lookup for `host NAME` and `srcid NAME`: returns IPv4
   * dotted quads and IPv6 texts. Without it, names are unknown hosts.
   */
  resolveHost?: (name: string) => readonly string[];
}

/** Protocol qualifiers (tcpdump's `pname`). */
const PNAMES = new Set([
  "ip",
  "ipv4",
  "ipv6",
  "tcp",
  "udp",
  "icmp",
  "igmp",
  "rtp",
  "rtcp",
  "udt",
  "arp",
  "rarp",
  "ether",
  "link",
  "man",
  "far",
  "event",
  "index",
  "isis",
  "mpls",
  "vlan",
]);

/** Address qualifiers. */
const AQUALS = new Set(["host", "net", "port", "proto", "srcid"]);

const FIELDS = new Set<string>([
  "pkts",
  "bytes",
  "appbytes",
  "ttl",
  "tos",
  "dsb",
  "ipid",
  "vid",
  "vpri",
  "mid",
  "trans",
  "seq",
  "dur",
  "rate",
  "load",
]);
const FLOAT_FIELDS = new Set(["dur", "rate", "load"]);

const RELOPS: Readonly<Record<string, CompareOp>> = {
  eq: "eq",
  lt: "lt",
  gt: "gt",
  gte: "gte",
  lte: "lte",
  ">=": "gte",
  "<=": "lte",
};

/** Keywords that stand alone; the value is the AST keyword. */
const STANDALONE: Readonly<Record<string, FilterKeyword>> = {
  normal: "normal",
  wait: "wait",
  timeout: "timeout",
  est: "est",
  con: "est",
  synack: "synack",
  finack: "finack",
  echo: "echo",
  unreach: "unreach",
  redirect: "redirect",
  timexed: "timexed",
  icmpmap: "icmpmap",
  rtr: "rtr",
  mbr: "mbr",
  lvg: "lvg",
  start: "start",
  stop: "stop",
  status: "status",
  error: "error",
  anon: "anon",
  tcpopt: "tcpopt",
  mss: "mss",
  wscale: "wscale",
  selackok: "selackok",
  selack: "selack",
  tcpecho: "tcpecho",
  tcpechoreply: "tcpechoreply",
  tcptimestamp: "tcptimestamp",
  tcpcc: "tcpcc",
  tcpccnew: "tcpccnew",
  tcpccecho: "tcpccecho",
  secn: "secn",
  decn: "decn",
  multicast: "multicast",
};

/** Keywords that also take a direction (`src syn`, `dst retrans`). */
const DIRECTIONAL: Readonly<Record<string, FilterKeyword>> = {
  syn: "syn",
  ack: "ack",
  push: "push",
  urg: "urg",
  reset: "rst",
  rst: "rst",
  ece: "ece",
  cwr: "cwr",
  fin: "fin",
  outoforder: "outoforder",
  ooo: "outoforder",
  retrans: "retrans",
  frag: "frag",
  fragonly: "fragonly",
  winshut: "winshut",
  ecn: "ecn",
  multipath: "multipath",
};

/** Words ra accepts that we do not implement (yet). */
const UNSUPPORTED = new Set([
  "gateway",
  "inode",
  "avgdur",
  "inter",
  "jitter",
  "ploss",
  "pcr",
  "abr",
  "spi",
  "asn",
  "co",
  "nstroke",
  "encaps",
  "hello",
  "lsp",
  "csnp",
  "psnp",
  "inbound",
  "outbound",
]);

const LOGIC = new Set(["and", "or", "not", "&&", "||", "!"]);

/** Every reserved word: such a word is never a name or an id. */
const KEYWORDS = new Set<string>([
  ...PNAMES,
  ...AQUALS,
  ...FIELDS,
  ...Object.keys(RELOPS),
  ...Object.keys(STANDALONE),
  ...Object.keys(DIRECTIONAL),
  ...UNSUPPORTED,
  ...LOGIC,
  "src",
  "dst",
  "mask",
  "broadcast",
]);

/** The qualifiers a bare id inherits (tcpdump's `struct qual`). */
interface Qual {
  readonly proto: string;
  readonly dir: FilterDirection;
  readonly addr: string;
}

interface Parsed {
  node: FilterNode;
  /** Qualifiers passed on to a following bare id; null: none (an error). */
  qual: Qual | null;
}

/** Parses a filter expression; an empty one matches every record. */
export function parseFilter(
  text: string,
  options: ParseFilterOptions = {},
): FilterNode {
  return new Parser(text, options).parse();
}

class Parser {
  readonly #text: string;
  readonly #tokens: FilterToken[];
  readonly #options: ParseFilterOptions;
  #pos = 0;

  constructor(text: string, options: ParseFilterOptions) {
    this.#text = text;
    this.#tokens = tokenizeFilter(text);
    this.#options = options;
  }

  parse(): FilterNode {
    if (this.#peek().kind === "end") return { kind: "all" };
    const { node } = this.#expr(null);
    if (this.#peek().kind !== "end") throw this.#unexpected(this.#peek());
    return node;
  }

  // ---- tokens

  #peek(ahead = 0): FilterToken {
    const i = Math.min(this.#pos + ahead, this.#tokens.length - 1);
    return this.#tokens[i]!;
  }

  #next(): FilterToken {
    const t = this.#peek();
    if (this.#pos < this.#tokens.length - 1) this.#pos++;
    return t;
  }

  #isWord(t: FilterToken, ...words: string[]): boolean {
    return (t.kind === "word" || t.kind === "punct") && words.includes(t.text);
  }

  #isAnd(t: FilterToken): boolean {
    return this.#isWord(t, "and", "&&");
  }

  #isOr(t: FilterToken): boolean {
    return this.#isWord(t, "or", "||");
  }

  #isNot(t: FilterToken): boolean {
    return this.#isWord(t, "not", "!");
  }

  #expect(text: string): FilterToken {
    const t = this.#next();
    if (!this.#isWord(t, text)) throw this.#unexpected(t);
    return t;
  }

  #error(t: FilterToken, reason: string): FilterSyntaxError {
    return new FilterSyntaxError(this.#text, t.text, t.column, reason);
  }

  #unexpected(t: FilterToken): FilterSyntaxError {
    if (t.kind === "end") {
      return this.#error(t, "unexpected end of expression");
    }
    if (t.kind === "word" && UNSUPPORTED.has(t.text)) {
      return this.#error(t, `"${t.text}" is not supported`);
    }
    return this.#error(t, `unexpected "${t.text}"`);
  }

  // ---- grammar

  /** expr: term { (and|or) (term | id) } */
  #expr(before: Qual | null): Parsed {
    let { node, qual } = this.#term(before);
    for (;;) {
      const t = this.#peek();
      const and = this.#isAnd(t);
      if (!and && !this.#isOr(t)) return { node, qual };
      this.#next();
      let right: FilterNode;
      if (this.#startsId()) {
        const first = this.#peek();
        if (qual === null) throw this.#unexpected(first);
        right = this.#id(qual, "eq");
      } else {
        const r = this.#term(qual);
        right = r.node;
        qual = r.qual;
      }
      node = and
        ? { kind: "and", left: node, right }
        : { kind: "or", left: node, right };
    }
  }

  /** Whether what follows (past any `not` and `(`) is a bare id. */
  #startsId(): boolean {
    let i = 0;
    for (;;) {
      const t = this.#peek(i);
      if (this.#isNot(t) || this.#isWord(t, "(")) {
        i++;
        continue;
      }
      switch (t.kind) {
        case "number":
        case "float":
        case "ipv4":
        case "ipv6":
        case "mac":
        case "string":
          return true;
        case "word":
          return !KEYWORDS.has(t.text);
        default:
          return false;
      }
    }
  }

  /** term: not term | '(' expr ')' | rterm */
  #term(before: Qual | null): Parsed {
    const t = this.#peek();
    if (this.#isNot(t)) {
      this.#next();
      const r = this.#term(before);
      return { node: { kind: "not", operand: r.node }, qual: r.qual };
    }
    if (this.#isWord(t, "(")) {
      this.#next();
      const r = this.#expr(before);
      this.#expect(")");
      return { node: r.node, qual: before };
    }
    return this.#rterm();
  }

  /** A primitive: `head id`, a protocol name, or a keyword. */
  #rterm(): Parsed {
    const t = this.#peek();
    if (t.kind !== "word" && !this.#isWord(t, ">=", "<=")) {
      throw this.#unexpected(t);
    }
    const w = t.text;
    if (PNAMES.has(w)) {
      this.#next();
      const n = this.#peek();
      if (n.kind === "word" && this.#startsHead(n.text)) return this.#head(w);
      if (this.#isWord(n, "multicast", "broadcast")) return this.#other(w);
      if (w === "ether" || w === "link") {
        throw this.#error(t, `"${w}" needs "host", "src", "dst" or "proto"`);
      }
      return { node: keyword(w as FilterKeyword, "either"), qual: null };
    }
    if (this.#startsHead(w)) return this.#head("default");
    if (w in STANDALONE) {
      this.#next();
      return { node: keyword(STANDALONE[w]!, "either"), qual: null };
    }
    if (w in DIRECTIONAL) {
      this.#next();
      return { node: keyword(DIRECTIONAL[w]!, "either"), qual: null };
    }
    if (w === "multicast" || w === "broadcast") return this.#other("default");
    throw this.#unexpected(t);
  }

  #startsHead(w: string): boolean {
    return w === "src" || w === "dst" || AQUALS.has(w) || FIELDS.has(w);
  }

  /** `[pqual] multicast` and `ether|ip broadcast`. */
  #other(pqual: string): Parsed {
    const t = this.#next();
    if (t.text === "multicast") {
      if (pqual !== "default" && pqual !== "ip") {
        throw this.#error(t, `"${pqual} multicast" is not supported`);
      }
      return { node: keyword("multicast", "either"), qual: null };
    }
    if (pqual === "ether" || pqual === "link") {
      return {
        node: {
          kind: "ether",
          dir: "either",
          mac: [255, 255, 255, 255, 255, 255],
        },
        qual: null,
      };
    }
    if (pqual === "ip") {
      return { node: keyword("ipbroadcast", "either"), qual: null };
    }
    throw this.#error(t, "only ether/ip broadcast filters supported");
  }

  /** head id: [pqual] [dqual] [aqual|field [relop]] id */
  #head(pqual: string): Parsed {
    let dir: FilterDirection = "either";
    const d = this.#peek();
    if (this.#isWord(d, "src", "dst")) {
      this.#next();
      dir = d.text as FilterDirection;
      const c = this.#peek(), e = this.#peek(1);
      if (
        (this.#isOr(c) || this.#isAnd(c)) && this.#isWord(e, "src", "dst") &&
        e.text !== d.text
      ) {
        this.#next();
        this.#next();
        dir = this.#isOr(c) ? "either" : "both";
      }
      const k = this.#peek();
      if (k.kind === "word" && k.text in DIRECTIONAL && pqual === "default") {
        this.#next();
        return { node: keyword(DIRECTIONAL[k.text]!, dir), qual: null };
      }
    }
    let addr = "default";
    let op: CompareOp = "eq";
    let relop = false;
    const a = this.#peek();
    if (a.kind === "word" && (AQUALS.has(a.text) || FIELDS.has(a.text))) {
      this.#next();
      addr = a.text;
      const r = this.#peek();
      if (
        addr !== "net" && (r.kind === "word" || r.kind === "punct") &&
        r.text in RELOPS
      ) {
        this.#next();
        op = RELOPS[r.text]!;
        relop = true;
        // ra takes an operator after host, proto and srcid too, then
        // ignores it; after any of them only a number may follow.
        if (!FIELDS.has(addr) && this.#peek().kind !== "number") {
          throw this.#unexpected(this.#peek());
        }
      }
    } else if (a.kind === "word" && UNSUPPORTED.has(a.text)) {
      throw this.#unexpected(a);
    }
    const qual: Qual = { proto: pqual, dir, addr };
    // After an operator ra wants the value itself, not `(3 or 5)`.
    const node = relop ? this.#value(qual, op) : this.#id(qual, op);
    return { node, qual };
  }

  /** id: not id | '(' id { (and|or) id } ')' | a value */
  #id(q: Qual, op: CompareOp): FilterNode {
    const t = this.#peek();
    if (this.#isNot(t)) {
      this.#next();
      return { kind: "not", operand: this.#id(q, op) };
    }
    if (this.#isWord(t, "(")) {
      this.#next();
      let node = this.#id(q, op);
      for (;;) {
        const c = this.#peek();
        if (this.#isAnd(c)) {
          this.#next();
          node = { kind: "and", left: node, right: this.#id(q, "eq") };
        } else if (this.#isOr(c)) {
          this.#next();
          node = { kind: "or", left: node, right: this.#id(q, "eq") };
        } else break;
      }
      this.#expect(")");
      return node;
    }
    return this.#value(q, op);
  }

  /** The value of a primitive, read per its qualifiers. */
  #value(q: Qual, op: CompareOp): FilterNode {
    const t = this.#peek();
    if (t.kind === "word" && KEYWORDS.has(t.text)) throw this.#unexpected(t);
    if (t.kind === "end" || t.kind === "punct") throw this.#unexpected(t);
    if (FIELDS.has(q.addr)) return this.#field(q, op);
    switch (q.addr) {
      case "port":
        return this.#port(q, op);
      case "proto":
        return this.#proto(q);
      case "srcid":
        return this.#srcid();
      case "net":
        return this.#host(q, true);
      default:
        return this.#host(q, false);
    }
  }

  #field(q: Qual, op: CompareOp): FilterNode {
    const t = this.#next();
    const field = q.addr as FilterField;
    if (field === "dsb" && t.kind === "word") {
      throw this.#error(t, `DS code names ("${t.text}") are not supported`);
    }
    if (
      t.kind !== "number" && !(t.kind === "float" && FLOAT_FIELDS.has(field))
    ) {
      throw this.#unexpected(t);
    }
    // ra stores integer operands as a C unsigned int.
    const value = FLOAT_FIELDS.has(field) ? t.value : t.value % 2 ** 32;
    return { kind: "field", field, dir: q.dir, op, value };
  }

  #port(q: Qual, op: CompareOp): FilterNode {
    const t = this.#next();
    let proto: 0 | 6 | 17;
    switch (q.proto) {
      case "default":
        proto = 0;
        break;
      case "tcp":
        proto = 6;
        break;
      case "udp":
        proto = 17;
        break;
      case "rtp":
      case "rtcp":
      case "udt":
        throw this.#error(t, `"${q.proto} port" is not supported`);
      default:
        throw this.#error(t, `illegal qualifier of "port"`);
    }
    if (t.kind === "number") {
      return {
        kind: "port",
        proto,
        dir: q.dir,
        op,
        value: t.value % 2 ** 32,
      };
    }
    if (t.kind !== "word" && t.kind !== "string") throw this.#unexpected(t);
    const dash = t.text.indexOf("-");
    if (dash >= 0) {
      // A range: argus reads each end with strtol(.., 10), so "0x50" is 0,
      // and joins ">= low" and "<= high" with and, each over both sides;
      // a high end that is no number leaves just ">= low".
      if (t.text.endsWith("-")) throw this.#unexpected(t);
      const lo = /^[0-9]+/.exec(t.text.slice(0, dash));
      const hi = /^[0-9]+/.exec(t.text.slice(dash + 1));
      if (lo === null) throw this.#error(t, `unknown port "${t.text}"`);
      const low: FilterNode = {
        kind: "port",
        proto,
        dir: q.dir,
        op: "gte",
        value: Number(lo[0]) % 2 ** 32,
      };
      if (hi === null) return low;
      return {
        kind: "and",
        left: low,
        right: {
          kind: "port",
          proto,
          dir: q.dir,
          op: "lte",
          value: Number(hi[0]) % 2 ** 32,
        },
      };
    }
    const found = this.#portByName(t.text);
    if (found === null) throw this.#error(t, `unknown port "${t.text}"`);
    if (proto === 17 && found.proto === 6) {
      throw this.#error(t, `port "${t.text}" is tcp`);
    }
    if (proto === 6 && found.proto === 17) {
      throw this.#error(t, `port "${t.text}" is udp`);
    }
    return {
      kind: "port",
      proto: proto !== 0 ? proto : found.proto,
      dir: q.dir,
      op: "eq",
      value: found.port,
    };
  }

  /**
   * argus_nametoport: the first services entry of any protocol; when the
   * other of tcp/udp has the name too, both are checked, unless its port
   * differs (then the name is unknown).
   */
  #portByName(name: string): { port: number; proto: 0 | 6 | 17 } | null {
    const services = this.#options.services ?? ServicesTable.system();
    const first = services.byName(name);
    if (first === undefined) return null;
    const other = services.byName(name, first.proto === "tcp" ? "udp" : "tcp");
    if (other !== undefined) {
      return other.port === first.port ? { port: first.port, proto: 0 } : null;
    }
    if (first.proto === "tcp") return { port: first.port, proto: 6 };
    if (first.proto === "udp") return { port: first.port, proto: 17 };
    return null;
  }

  #proto(q: Qual): FilterNode {
    const t = this.#next();
    if (q.dir !== "either") {
      throw this.#error(t, `direction applied to "proto"`);
    }
    let value: number;
    if (t.kind === "number") value = t.value % 2 ** 32;
    else if (t.kind === "word" && q.proto !== "ether" && q.proto !== "link") {
      const protocols = this.#options.protocols ?? ProtocolsTable.system();
      const v = protocols.byName(t.text);
      if (v === undefined) throw this.#error(t, `unknown protocol "${t.text}"`);
      value = v;
    } else throw this.#unexpected(t);
    switch (q.proto) {
      case "default":
      case "ip":
        return { kind: "proto", scope: "ip", value };
      case "ipv4":
      case "ipv6":
      case "arp":
        return { kind: "proto", scope: q.proto, value };
      case "ether":
      case "link":
        return { kind: "proto", scope: "ether", value };
      default:
        throw this.#error(t, `"${q.proto} proto" is not supported`);
    }
  }

  #srcid(): FilterNode {
    const t = this.#next();
    switch (t.kind) {
      case "number":
        return { kind: "srcid", value: t.value % 2 ** 32 };
      case "ipv4": {
        const v = parseIPv4(t.text);
        if (v === null) throw this.#error(t, `bad address "${t.text}"`);
        return { kind: "srcid", value: v };
      }
      case "string": {
        // ra copies up to four characters into an int in host (little
        // endian) order.
        let v = 0;
        const bytes = new TextEncoder().encode(t.text).subarray(0, 4);
        for (let i = bytes.length - 1; i >= 0; i--) v = v * 256 + bytes[i]!;
        return { kind: "srcid", value: v };
      }
      case "word": {
        const ids = this.#resolve(t).filter((a) => a.family === "ipv4");
        if (ids.length === 0) throw this.#error(t, `unknown srcid "${t.text}"`);
        return ids.map((a): FilterNode => ({
          kind: "srcid",
          value: a.words[0]!,
        }))
          .reduce((l, r) => ({ kind: "or", left: l, right: r }));
      }
      default:
        throw this.#unexpected(t);
    }
  }

  #host(q: Qual, net: boolean): FilterNode {
    const t = this.#next();
    if (q.proto === "ether" || q.proto === "link") {
      const mac = t.kind === "mac" ? parseMac(t.text) : null;
      if (mac === null || net) {
        throw this.#error(t, `bad ether address "${t.text}"`);
      }
      return { kind: "ether", dir: q.dir, mac };
    }
    const scope = this.#scope(t, q.proto);
    switch (t.kind) {
      case "ipv4": {
        const a = parseIPv4(t.text);
        if (a === null) throw this.#error(t, `unsupported address "${t.text}"`);
        let mask = 0xffffffff;
        const m = this.#peek();
        if (this.#isWord(m, "/", "mask")) {
          if (!net) throw this.#error(m, "mask syntax for networks only");
          this.#next();
          const v = this.#next();
          if (m.text === "/") {
            if (v.kind !== "number") throw this.#unexpected(v);
            // 0xffffffff << (32 - len) in C on x86: the count wraps mod 32,
            // so /0 (and /32) keep every bit and /33 keeps one.
            mask = len32Mask(v.value);
          } else {
            const mv = v.kind === "ipv4" ? parseIPv4(v.text) : null;
            if (mv === null) throw this.#unexpected(v);
            mask = mv;
          }
        }
        return hostNode(scope, q.dir, "ipv4", [(a & mask) >>> 0], [mask]);
      }
      case "ipv6": {
        const a = parseIPv6(t.text);
        if (a === null) throw this.#error(t, `bad IPv6 address "${t.text}"`);
        if (scope === "ip") throw this.#unexpected(t);
        let len = 128;
        const m = this.#peek();
        if (this.#isWord(m, "/")) {
          if (!net) throw this.#error(m, "mask syntax for networks only");
          this.#next();
          const v = this.#next();
          if (v.kind !== "number") throw this.#unexpected(v);
          len = v.value === 0 || v.value > 128 ? 128 : v.value;
        }
        const mask = [0, 0, 0, 0].map((_, i) => {
          const bits = Math.max(0, Math.min(32, len - 32 * i));
          return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        });
        return hostNode(
          scope,
          q.dir,
          "ipv6",
          a.map((w, i) => (w & mask[i]!) >>> 0),
          mask,
        );
      }
      case "number":
        // A bare number: ra leaves the mask at 0, so only the address
        // family is tested (`dst 443` matches any IP or ARP record).
        if (scope === "ipv6") {
          throw this.#error(t, `unsupported address "${t.text}"`);
        }
        return hostNode(scope, q.dir, "none", [0], [0]);
      case "word":
      case "string": {
        if (net) throw this.#error(t, `unknown network "${t.text}"`);
        // Names resolve to addresses; each then tests its own family only.
        const found = this.#resolve(t);
        if (found.length === 0) {
          throw this.#error(t, `unknown host "${t.text}"`);
        }
        return found.map((a): FilterNode =>
          hostNode(
            a.family,
            q.dir,
            a.family,
            a.words,
            a.words.map(() => 0xffffffff),
          )
        ).reduce((l, r) => ({ kind: "or", left: l, right: r }));
      }
      default:
        throw this.#unexpected(t);
    }
  }

  #scope(t: FilterToken, pqual: string): HostScope {
    switch (pqual) {
      case "default":
      case "ip":
      case "ipv4":
      case "ipv6":
      case "arp":
        return pqual;
      default:
        throw this.#error(t, `"${pqual}" modifier applied to host`);
    }
  }

  #resolve(
    t: FilterToken,
  ): { family: "ipv4" | "ipv6"; words: number[] }[] {
    const texts = t.kind === "string" ? [t.text] : [];
    if (
      t.kind === "string" && parseIPv4(t.text) === null &&
      parseIPv6(t.text) === null
    ) {
      texts.length = 0;
    }
    if (texts.length === 0) {
      const r = this.#options.resolveHost;
      if (r !== undefined) texts.push(...r(t.text));
    }
    const out: { family: "ipv4" | "ipv6"; words: number[] }[] = [];
    for (const s of texts) {
      const v4 = parseIPv4(s);
      if (v4 !== null) {
        out.push({ family: "ipv4", words: [v4] });
        continue;
      }
      const v6 = parseIPv6(s);
      if (v6 !== null) out.push({ family: "ipv6", words: v6 });
    }
    return out;
  }
}

function keyword(word: FilterKeyword, dir: FilterDirection): FilterNode {
  return { kind: "keyword", word, dir };
}

function hostNode(
  scope: HostScope,
  dir: FilterDirection,
  family: "ipv4" | "ipv6" | "none",
  addr: readonly number[],
  mask: readonly number[],
): FilterNode {
  return { kind: "host", scope, dir, family, addr, mask };
}

/** A prefix length as argus turns it into an IPv4 mask. */
function len32Mask(len: number): number {
  return (0xffffffff << ((32 - len) & 31)) >>> 0;
}
