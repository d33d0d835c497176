/**
 * The racluster flow key (racluster(1) -m): which fields make two records
 * one (ArgusNewAggregator's mask, with CIDR lengths such as saddr/16), the
 * masking of the record's own flow (ArgusGenerateNewFlow) and the key
 * bytes (ArgusGenerateHashStruct: the same fields at the same offsets of
 * argus's canonical DSRs). The source's IPv6 table says "proto" is the
 * ninth byte of the source address, but the real racluster 3.0.8 keys
 * IPv6 records by their protocol (verified: -m proto merges IPv4 and IPv6
 * UDP), so that is what is used. The default key is srcid proto saddr
 * sport daddr dport.
 * @module
 */

import { UsageError } from "../cli/mod.ts";
import { ADDR_IPV4, ADDR_IPV6, type CanonRecord } from "./canon_record.ts";

/** Mask bits (ARGUS_MASK_*), by position in argus's mask table. */
export const MASK_NAMES = [
  "srcid",
  "smpls",
  "dmpls",
  "svlan",
  "dvlan",
  "proto",
  "saddr",
  "sport",
  "daddr",
  "dport",
  "snet",
  "dnet",
  "stos",
  "dtos",
  "sttl",
  "dttl",
  "sipid",
  "dipid",
  "stcpb",
  "dtcpb",
  "smac",
  "dmac",
  "svid",
  "dvid",
  "svpri",
  "dvpri",
  "svc",
  "inode",
  "sdsb",
  "ddsb",
  "sco",
  "dco",
  "sas",
  "das",
  "ias",
  "soui",
  "doui",
] as const; // deno-fmt-ignore

/** How many leading characters argus compares for each name. */
const MATCH_LEN = [
  5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 4, 4, 4, 4, 5,
  5, 3, 5, 4, 4, 3, 3, 3, 3, 3, 3, 3,
]; // deno-fmt-ignore

export const M_SRCID = 0, M_PROTO = 5, M_SADDR = 6, M_SPORT = 7;
export const M_DADDR = 8, M_DPORT = 9;

/** Which DSR and bytes each mask bit reads: [slot, offset, length]. */
type Def = readonly [number, number, number];
const V4: readonly Def[] = [
  [0, 4, 4],
  [7, 4, 4],
  [7, 8, 4],
  [6, 4, 2],
  [6, 6, 2],
  [1, 12, 1],
  [1, 4, 4],
  [1, 14, 2],
  [1, 8, 4],
  [1, 16, 2],
  [1, 4, 4],
  [1, 8, 4],
  [9, 5, 1],
  [9, 13, 1],
  [9, 4, 1],
  [9, 12, 1],
  [9, 6, 2],
  [9, 14, 2],
  [5, 252, 4],
  [5, 300, 4],
  [13, 4, 6],
  [13, 10, 6],
  [6, 4, 2],
  [6, 6, 2],
  [6, 4, 1],
  [6, 6, 1],
]; // deno-fmt-ignore
const V6: readonly Def[] = [
  [0, 4, 4], [7, 4, 4], [7, 8, 4], [6, 4, 2], [6, 6, 2], [1, 36, 1],
  [1, 4, 16], [1, 40, 2], [1, 20, 16], [1, 42, 2], [1, 4, 4], [1, 8, 4],
  [9, 5, 1], [9, 13, 1], [9, 4, 1], [9, 12, 1], [9, 6, 2], [9, 14, 2],
  [5, 252, 4], [5, 300, 4], [13, 4, 6], [13, 10, 6], [6, 4, 2], [6, 6, 2],
  [6, 4, 1], [6, 6, 1],
]; // deno-fmt-ignore
const ARP: readonly Def[] = [
  [0, 4, 4], [7, 8, 4], [7, 4, 4], [6, 6, 2], [6, 4, 2], [1, 2, 2],
  [1, 12, 4], [1, 0, 0], [1, 16, 4], [1, 0, 0], [1, 8, 4], [1, 4, 4],
  [9, 13, 1], [9, 5, 1], [9, 12, 1], [9, 4, 1], [9, 14, 2], [9, 6, 2],
  [5, 252, 4], [5, 300, 4], [13, 10, 6], [13, 4, 6], [6, 6, 2], [6, 4, 2],
  [6, 6, 1], [6, 4, 1],
]; // deno-fmt-ignore

/**
 * Ethernet (and other) flows: the ARP table with their own key bytes. The
 * source's table has proto 4, saddr 12, daddr 16; the real racluster 3.0.8
 * groups by the ethertype, the source and the destination address
 * (verified with -m proto, saddr, daddr on non-IP captures).
 */
const ETHER: readonly Def[] = ARP.map((d, i) =>
  i === M_PROTO
    ? [1, 16, 2] as const
    : i === M_SADDR
    ? [1, 10, 6] as const
    : i === M_DADDR
    ? [1, 4, 6] as const
    : i === 10
    ? [1, 8, 6] as const
    : i === 11
    ? [1, 4, 6] as const
    : d
);

/** argus's ArgusSelectMaskDefs: the key table for a record's flow. */
function defsFor(r: CanonRecord): readonly Def[] {
  const f = r.flow;
  if (f[1] === 0x06) return ARP;
  switch (f[2]! & 0x1f) {
    case ADDR_IPV6:
      return V6;
    case ADDR_IPV4:
      return V4;
    case 4:
    case 5:
      return ARP;
    default:
      return ETHER;
  }
}

/** A parsed -m list. */
export interface KeySpec {
  /** Bit i set: MASK_NAMES[i] is part of the key. */
  mask: number;
  /** CIDR lengths for saddr and daddr (0: the whole address). */
  saddrLen: number;
  daddrLen: number;
  /** The words given (they also order the output, as argus sorts by them). */
  words: string[];
  /** -m was given (turns off reverse matching and direction correction). */
  given: boolean;
}

const STANDARD = (1 << M_PROTO) | (1 << M_SADDR) | (1 << M_SPORT) |
  (1 << M_DADDR) | (1 << M_DPORT);

/** The key racluster uses without -m. */
export function defaultKeySpec(): KeySpec {
  return {
    mask: STANDARD | (1 << M_SRCID),
    saddrLen: 0,
    daddrLen: 0,
    words: [],
    given: false,
  };
}

/** Parses racluster's -m words (several per -m, or space-separated). */
export function parseKeySpec(words: readonly string[]): KeySpec {
  const spec: KeySpec = {
    mask: 0,
    saddrLen: 0,
    daddrLen: 0,
    words: [],
    given: true,
  };
  for (const word of words.flatMap((w) => w.split(/[ \t]+/))) {
    if (word === "") continue;
    spec.words.push(word);
    const slash = word.indexOf("/");
    const name = (slash >= 0 ? word.slice(0, slash) : word).toLowerCase();
    let len = 0;
    if (slash >= 0) {
      const text = word.slice(slash + 1);
      len = Number.parseInt(text, 10);
      if (!/^\d+/.test(text) || Number.isNaN(len)) {
        throw new UsageError(`-m: syntax error: "${word}"`);
      }
    }
    // argus's monitor and matrix keys turn records round first; not here.
    if (/^(macmatrix|matrix|mac|addr|port)/.test(name)) {
      throw new UsageError(`-m ${word}: not supported`);
    }
    if (name.startsWith("none")) {
      spec.mask = 0;
      continue;
    }
    const i = MASK_NAMES.findIndex((n, k) =>
      name.slice(0, MATCH_LEN[k]) === n.slice(0, MATCH_LEN[k])
    );
    // argus ignores words it does not know (and the fields it has no
    // table entry for here: svc, inode, country codes, AS numbers).
    if (i < 0 || i >= V4.length) continue;
    spec.mask |= 1 << i;
    if (i === M_SADDR && len > 0) spec.saddrLen = len;
    if (i === M_DADDR && len > 0) spec.daddrLen = len;
    if (i === M_SPORT || i === M_DPORT) spec.mask |= 1 << M_PROTO;
  }
  return spec;
}

/** Whether direction correction stays on (argus: the standard 5-tuple). */
export function correctsDirection(spec: KeySpec): boolean {
  return (spec.mask & STANDARD) === STANDARD;
}

/** Keeps the first `bits` bits of `n` bytes at a[at..]. */
function prefix(a: Uint8Array, at: number, n: number, bits: number): void {
  for (let i = 0; i < n; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    a[at + i] = a[at + i]! & ((0xff << (8 - keep)) & 0xff);
  }
}

/** ArgusGenerateNewFlow: applies the CIDR lengths to the record's flow. */
export function maskFlow(spec: KeySpec, r: CanonRecord): void {
  if (!spec.mask || !r.hasFlow) return;
  const f = r.flow;
  const kind = f[1]! & 0x3f;
  if (kind !== 0x01 && kind !== 0x02) return;
  const addr = f[2]! & 0x1f;
  if (
    !(spec.mask & ((1 << M_SADDR) | (1 << M_DADDR) | (1 << M_PROTO) |
      (1 << M_SPORT) | (1 << M_DPORT)))
  ) {
    f[1] = f[1]! & 0x3f;
    f[2] = f[2]! & 0x1f;
  }
  if (addr === ADDR_IPV4) {
    // An ESP key holds its masks where its SPI's upper half is.
    const sm = f[12] === 50 ? 17 : 18, dm = f[12] === 50 ? 16 : 19;
    if (
      (spec.mask & (1 << M_SADDR)) && spec.saddrLen > 0 &&
      spec.saddrLen < f[sm]!
    ) {
      prefix(f, 4, 4, spec.saddrLen);
      f[sm] = spec.saddrLen;
    }
    if (
      (spec.mask & (1 << M_DADDR)) && spec.daddrLen > 0 &&
      spec.daddrLen < f[dm]!
    ) {
      prefix(f, 8, 4, spec.daddrLen);
      f[dm] = spec.daddrLen;
    }
  } else if (addr === ADDR_IPV6) {
    if (
      (spec.mask & (1 << M_SADDR)) && spec.saddrLen > 0 &&
      spec.saddrLen < f[44]!
    ) {
      prefix(f, 4, 16, spec.saddrLen);
      f[44] = spec.saddrLen;
    }
    if (
      (spec.mask & (1 << M_DADDR)) && spec.daddrLen > 0 &&
      spec.daddrLen < f[46]!
    ) {
      prefix(f, 20, 16, spec.daddrLen);
      f[46] = spec.daddrLen;
    }
  }
}

/** The bytes of the canonical DSR in `slot`, header first, or null. */
function dsrBytes(r: CanonRecord, slot: number): Uint8Array | null {
  switch (slot) {
    case 0:
      return r.transport;
    case 1:
      return r.hasFlow ? r.flow : null;
    case 5:
      return r.hasNet ? r.net : null;
    case 7:
      return r.mpls;
    case 9:
      return r.hasAttr ? ATTR_VIEW.fill(r) : null;
    default:
      return r.raw[slot] ?? null;
  }
}

/** The canonical IP attribute DSR (header, src and dst objects). */
const ATTR_VIEW = {
  bytes: new Uint8Array(20),
  fill(r: CanonRecord): Uint8Array {
    this.bytes.set(r.attr, 4);
    return this.bytes;
  },
};

/**
 * The key of a record (ArgusGenerateHashStruct's bytes) into `KEY_BYTES`,
 * padded with a zero byte to whole 16-bit words (argus hashes and compares
 * it as such); returns its length in bytes. Records with equal keys
 * aggregate.
 */
export function keyBytes(spec: KeySpec, r: CanonRecord): number {
  const k = KEY_BYTES;
  let n = 0;
  const f = r.flow;
  if (r.hasFlow && (spec.mask & ((1 << M_SADDR) | (1 << M_DADDR)))) {
    k[n++] = f[0]!;
    k[n++] = f[1]! & 0x3f;
    k[n++] = f[2]! & 0x1f;
    k[n++] = 0;
  }
  const kind = f[1]! & 0x3f, addr = f[2]! & 0x1f;
  const defs = r.hasFlow ? defsFor(r) : V4;
  const esp = r.hasFlow && kind === 0x01 && addr === ADDR_IPV4 &&
    f[12] === 50;
  // The key's fields in mask-bit order, visiting only the bits set.
  for (let m = spec.mask; m !== 0;) {
    const low = m & -m;
    m ^= low;
    const i = 31 - Math.clz32(low);
    if (i >= defs.length) break;
    const def = defs[i]!;
    const p = dsrBytes(r, def[0]);
    if (p === null) continue;
    if (i === M_SPORT && esp) continue;
    const o = def[1];
    let len = def[2];
    if (i === M_DPORT && esp) len = 4;
    if (i === 1 || i === 2) {
      // MPLS labels: the top 20 bits of the label word.
      const w = ((p[o]! << 24) | (p[o + 1]! << 16) | (p[o + 2]! << 8) |
        p[o + 3]!) >>> 12;
      k[n++] = w & 0xff;
      k[n++] = (w >>> 8) & 0xff;
      k[n++] = w >>> 16;
      k[n++] = 0;
      continue;
    }
    for (let x = 0; x < len; x++) k[n++] = p[o + x] ?? 0;
  }
  k[n] = 0;
  return (n + 1) & ~1;
}

/** The bytes of the key keyBytes() built last. */
export const KEY_BYTES: Uint8Array = new Uint8Array(1024);

/** The key of a record as a string of its bytes (for tests and tools). */
export function keyOf(spec: KeySpec, r: CanonRecord): string {
  const n = keyBytes(spec, r);
  let key = "";
  for (let i = 0; i < n; i++) key += String.fromCharCode(KEY_BYTES[i]!);
  return key;
}
