/**
 * Test-only FilterSubjects built from what the real ra prints, so the
 * filter can be checked against ra without our record decoder: each
 * record's fields come from `ra -X -u -p 6 -c , -L -1 -M man -s ...`
 * (four passes: numbers, protocol names, -z state bits, -Z b TCP flags),
 * one line per record in file order, keyed by `offset`.
 *
 * ra prints some DSR contents only in part (the flgs column shows one of
 * retransmission or out-of-order, never which ICMP DSR bits or whether a
 * network DSR exists), so the rebuilt values are the printed ones; where
 * that loses something, the comment says what is assumed.
 * @module
 */

import { parseIPv4, parseIPv6 } from "../../src/filter/mod.ts";
import type { FilterSubject } from "../../src/filter/mod.ts";

/** A record rebuilt from ra's output, with the key that names it. */
export interface RaRecord {
  /** `offset,proto-name`: unique per record (the closing MAR repeats the
   * last record's offset, its protocol name is `man`). */
  key: string;
  subject: FilterSubject;
}

const FIELDS = [
  "offset",
  "cause",
  "srcid",
  "seq",
  "trans",
  "proto",
  "saddr",
  "daddr",
  "sport",
  "dport",
  "spkts",
  "dpkts",
  "sbytes",
  "dbytes",
  "sappbytes",
  "dappbytes",
  "sttl",
  "dttl",
  "stos",
  "dtos",
  "sipid",
  "dipid",
  "svlan",
  "dvlan",
  "smpls",
  "dmpls",
  "smac",
  "dmac",
  "flgs",
  "tcpopt",
  "dur",
  "srate",
  "drate",
  "sload",
  "dload",
] as const;
type Field = typeof FIELDS[number];

const BASE = ["-X", "-u", "-p", "6", "-c", ",", "-L", "-1", "-M", "man"];

/** Runs the real ra; returns its output lines. */
export async function runRa(args: string[]): Promise<string[]> {
  const out = await new Deno.Command("ra", {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  // ra exits 1 when nothing matched; only stderr means trouble.
  const err = new TextDecoder().decode(out.stderr).trim();
  if (err !== "") throw new Error(`ra ${args.join(" ")}: ${err}`);
  return text.split("\n").filter((l) => l !== "");
}

/** The keys of the records ra prints for `expr`, in file order. */
export async function raSelect(file: string, expr: string): Promise<string[]> {
  const lines = await runRa([
    ...BASE,
    "-n",
    "-r",
    file,
    "-s",
    "offset",
    "proto",
    "-",
    expr,
  ]);
  return lines.map((l) => l.split(",").map((s) => s.trim()).join(","));
}

/** Every record of `file` as ra shows it, in file order. */
export async function recordsFromRa(file: string): Promise<RaRecord[]> {
  const main = await runRa([...BASE, "-nn", "-r", file, "-s", ...FIELDS]);
  const names = await runRa([
    ...BASE,
    "-n",
    "-r",
    file,
    "-s",
    "offset",
    "proto",
  ]);
  // Keep offset first: a lone empty state would make an empty line.
  const zstate = await runRa([
    ...BASE,
    "-nn",
    "-z",
    "-r",
    file,
    "-s",
    "offset",
    "state",
  ]);
  const flags = await runRa([
    ...BASE,
    "-nn",
    "-Z",
    "b",
    "-r",
    file,
    "-s",
    "offset",
    "state",
  ]);
  if (
    names.length !== main.length || zstate.length !== main.length ||
    flags.length !== main.length
  ) {
    throw new Error(`ra passes over ${file} disagree on the record count`);
  }
  const bytes = await Deno.readFile(file);
  return main.map((line, i) => {
    const cols = line.split(",");
    const get = (f: Field): string => cols[FIELDS.indexOf(f)]!;
    const name = names[i]!.split(",")[1]!.trim();
    return {
      key: `${get("offset").trim()},${name}`,
      subject: build(
        get,
        name,
        zstate[i]!.split(",")[1]!.trim(),
        flags[i]!.split(",")[1]!.trim(),
        networkDsr(bytes, Number(get("offset"))),
      ),
    };
  });
}

/**
 * A record's network DSR as stored: subtype and length in bytes, or null.
 * ra prints nothing that tells, and ra's loads past a DSR's end give -1,
 * so this is read from the file: a walk over the record's DSR
 * headers (type 0x30 is the network DSR).
 */
function networkDsr(
  b: Uint8Array,
  at: number,
): { subtype: number; bytes: number; word12: number } | null {
  if (at + 4 > b.length || (b[at]! & 0x80) !== 0) return null;
  const end = at + ((b[at + 2]! << 8) | b[at + 3]!) * 4;
  for (let p = at + 4; p + 4 <= end;) {
    const type = b[p]! & 0x7f;
    const words = type === 0x50 ? (b[p + 2]! << 8) | b[p + 3]! : b[p + 3]!;
    if (words === 0) break;
    if (type === 0x30) {
      const word12 = words >= 4
        ? new DataView(b.buffer, b.byteOffset).getUint32(p + 12)
        : -1;
      return { subtype: b[p + 1]!, bytes: words * 4, word12 };
    }
    p += words * 4;
  }
  return null;
}

function num(s: string): number {
  const t = s.trim();
  return t === "" ? -1 : Number(t);
}

const CAUSES: Record<string, number> = {
  Start: 0x10,
  Status: 0x20,
  Stop: 0x30,
  Timeout: 0x40,
  Shutdown: 0x60,
  Error: 0x80,
};

const NET_SUBTYPES: Record<string, number> = { rtcp: 9, rtp: 10, udt: 13 };

// ra's -z letters and their status bits; R stands for either reset bit.
const ZBITS: Record<string, number> = {
  s: 0x1,
  S: 0x2,
  E: 0x4,
  f: 0x8,
  F: 0x10,
  C: 0x20,
  R: 0x1000,
};
const TCP_FLAG_LETTERS = "FSRPAUEC";

function tcpFlagBits(s: string): number {
  let v = 0;
  for (const c of s) {
    const i = TCP_FLAG_LETTERS.indexOf(c);
    if (i >= 0) v |= 1 << i;
  }
  return v;
}

function mac(s: string): [number, number] {
  const t = s.trim();
  if (t === "") return [-1, -1];
  if (t === "Broadcast") return [0xffff, 0xffffffff];
  const b = t.split(":").map((x) => parseInt(x, 16));
  return [
    (b[0]! << 8) | b[1]!,
    ((b[2]! << 24) | (b[3]! << 16) | (b[4]! << 8) | b[5]!) >>> 0,
  ];
}

function build(
  get: (f: Field) => string,
  name: string,
  zstate: string,
  flagState: string,
  net: { subtype: number; bytes: number; word12: number } | null,
): FilterSubject {
  const srcAddr6 = new Uint32Array(4), dstAddr6 = new Uint32Array(4);
  const cause = CAUSES[get("cause").trim()] ?? 0;
  const srcidText = get("srcid").trim();
  const srcid = srcidText === ""
    ? -1
    : parseIPv4(srcidText) ?? Number(srcidText);
  const s: Mutable<FilterSubject> = {
    type: 0x10,
    cause,
    srcid,
    seq: num(get("seq")),
    addrType: -1,
    flowSubtype: -1,
    proto: -1,
    srcAddr: -1,
    dstAddr: -1,
    srcAddr6,
    dstAddr6,
    sport: 0,
    dport: 0,
    etherType: -1,
    igmpType: -1,
    spkts: -1,
    dpkts: -1,
    sbytes: -1,
    dbytes: -1,
    sappbytes: -1,
    dappbytes: -1,
    trans: num(get("trans")),
    dur: Number(get("dur")),
    srate: Number(get("srate")),
    drate: Number(get("drate")),
    sload: Number(get("sload")),
    dload: Number(get("dload")),
    netSubtype: -1,
    netStatus: -1,
    tcpOptions: -1,
    srcTcpFlags: -1,
    dstTcpFlags: -1,
    icmpType: -1,
    ipAttrQual: -1,
    sttl: -1,
    dttl: -1,
    stos: -1,
    dtos: -1,
    sipid: -1,
    dipid: -1,
    svlan: -1,
    dvlan: -1,
    smpls: -1,
    dmpls: -1,
    macQual: -1,
    smacHi: -1,
    smacLo: -1,
    dmacHi: -1,
    dmacLo: -1,
    icmpMapQual: -1,
    icmpMapType: -1,
  };
  if (name === "man") {
    // ra's filter sees 0 for a MAR's duration and rates (it prints them
    // from the MAR's own times), and never matches its srcid.
    s.type = 0x80;
    s.srcid = -1;
    s.dur =
      s.srate =
      s.drate =
      s.sload =
      s.dload =
        0;
    return s;
  }

  // Flow key. ra prints no key type: it follows from the address text.
  const saddr = get("saddr").trim(), daddr = get("daddr").trim();
  const proto = Number(get("proto"));
  const isMac = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(saddr);
  if (proto === 2054 || name === "arp") {
    s.addrType = 4;
    s.flowSubtype = 6;
    s.srcAddr = parseIPv4(saddr) ?? 0;
    s.dstAddr = parseIPv4(daddr) ?? 0;
  } else if (name === "rarp") {
    s.addrType = 5;
    s.flowSubtype = 6;
  } else if (isMac) {
    s.addrType = 3;
    s.flowSubtype = 1;
    s.etherType = proto;
  } else if (saddr.includes(":")) {
    s.addrType = 2;
    s.flowSubtype = 1;
    s.proto = proto;
    srcAddr6.set(parseIPv6(saddr) ?? [0, 0, 0, 0]);
    dstAddr6.set(parseIPv6(daddr) ?? [0, 0, 0, 0]);
  } else {
    s.addrType = 1;
    s.flowSubtype = 1;
    s.proto = proto;
    s.srcAddr = parseIPv4(saddr) ?? 0;
    s.dstAddr = parseIPv4(daddr) ?? 0;
  }
  const sport = Number(get("sport").trim() || "0");
  const dport = Number(get("dport").trim() || "0");
  s.sport = Number.isNaN(sport) ? 0 : sport;
  s.dport = Number.isNaN(dport) ? 0 : dport;

  // Metrics: every flow record has them.
  s.spkts = num(get("spkts"));
  s.dpkts = num(get("dpkts"));
  s.sbytes = num(get("sbytes"));
  s.dbytes = num(get("dbytes"));
  s.sappbytes = num(get("sappbytes"));
  s.dappbytes = num(get("dappbytes"));

  // IP attributes: present when a TTL is printed; a side the DSR does
  // not carry reads 0 in ra (`dst ttl 0` matches one-way flows).
  const flgs = get("flgs");
  if (num(get("sttl")) !== -1 || num(get("dttl")) !== -1) {
    const z = (f: Field): number => Math.max(num(get(f)), 0);
    s.sttl = z("sttl");
    s.dttl = z("dttl");
    s.stos = z("stos");
    s.dtos = z("dtos");
    s.sipid = z("sipid");
    s.dipid = z("dipid");
    // 'F' does not say which side; assume both.
    s.ipAttrQual = flgs[6] === "F" ? 0x30 : 0;
  }

  // VLAN and MPLS DSRs hold both sides; a side not seen reads 0.
  const sv = num(get("svlan")), dv = num(get("dvlan"));
  if (sv !== -1 || dv !== -1) {
    s.svlan = Math.max(sv, 0);
    s.dvlan = Math.max(dv, 0);
  }
  // The MPLS DSR only holds the sides seen: a missing one loads -1.
  const sm = num(get("smpls")), dm = num(get("dmpls"));
  s.smpls = sm === -1 ? -1 : sm * 4096;
  s.dmpls = dm === -1 ? -1 : dm * 4096;
  [s.smacHi, s.smacLo] = mac(get("smac"));
  [s.dmacHi, s.dmacLo] = mac(get("dmac"));
  // 'M' does not say which side saw several addresses; assume dst.
  if (s.smacHi !== -1) s.macQual = flgs[1] === "M" ? 2 : 0;

  // ICMP DSR: flgs shows U, R, T (or I for others) when events were mapped.
  switch (flgs[2]) {
    case "U":
      [s.icmpMapQual, s.icmpMapType] = [1, 3];
      break;
    case "R":
      [s.icmpMapQual, s.icmpMapType] = [2, 5];
      break;
    case "T":
      [s.icmpMapQual, s.icmpMapType] = [4, 11];
      break;
    case "I":
      [s.icmpMapQual, s.icmpMapType] = [7, 0];
      break;
  }

  // ra drops the RTP/RTCP object of flows it does not call rtp/rtcp.
  const sub = net?.subtype ?? -1;
  const dropped = (sub === 9 || sub === 10) && NET_SUBTYPES[name] !== sub;
  s.netSubtype = dropped ? -1 : sub;
  // A header-only network DSR (argus writes one for UDP and others) holds
  // nothing: every load from it is -1. ra widens TCP objects (subtypes
  // 3-5) to full size, so those always hold their fields.
  const tcpObject = sub >= 3 && sub <= 5;
  if (
    !dropped && net !== null && (tcpObject || net.bytes >= 8) &&
    (s.addrType === 1 || s.addrType === 2)
  ) {
    // ra tests the TCP option bits in word 12 of any network object.
    if (!tcpObject) s.tcpOptions = net.word12;
    if (s.proto === 1) s.icmpType = s.sport & 0xff;
    if (s.proto === 6) tcp(s, get("tcpopt"), flgs, zstate, flagState);
    if (s.proto === 50) {
      s.netStatus = { s: 0x10, d: 0x20, "*": 0x30 }[flgs[3] ?? ""] ?? 0;
    }
  }
  return s;
}

function tcp(
  s: Mutable<FilterSubject>,
  opts: string,
  flgs: string,
  zstate: string,
  flagState: string,
): void {
  let status = 0;
  for (const c of zstate) status |= ZBITS[c] ?? 0;
  // flgs column: retransmission or out of order, window, ECN.
  status |= {
    "*": 0x300,
    s: 0x100,
    d: 0x200,
    "&": 0x30000,
    i: 0x10000,
    r: 0x20000,
  }[flgs[3] ?? ""] ?? 0;
  status |= { "@": 0xc00, S: 0x400, D: 0x800 }[flgs[4] ?? ""] ?? 0;
  status |= { E: 0xc000, x: 0x4000, t: 0x8000 }[flgs[5] ?? ""] ?? 0;
  s.netStatus = status;
  let o = 0;
  for (let i = 0; i < 12 && i < opts.length; i++) {
    if (opts[i] !== " ") o |= 0x100000 << i;
  }
  s.tcpOptions = o >>> 0;
  // -Z b prints src_dst, but swaps them when a side with flags sent no
  // packets; undo that.
  const [a = "", b = ""] = flagState.split("_");
  const swapped = (x: string, y: string): boolean =>
    (x !== "" && s.spkts === 0) || (y !== "" && s.dpkts === 0);
  const [src, dst] = !swapped(a, b) ? [a, b] : [b, a];
  s.srcTcpFlags = tcpFlagBits(src);
  s.dstTcpFlags = tcpFlagBits(dst);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
