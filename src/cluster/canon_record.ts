/**
 * CanonRecord: one flow record in the canonical form the real racluster
 * 3.0.8 works on (argus_client.c ArgusGenerateRecordStruct), held in plain
 * numbers and small byte arrays: loaded from a record's bytes (with the
 * client's corrections when asked), turned round (ArgusReverseRecord), and
 * written back as the real racluster writes it (ArgusGenerateRecord: time
 * and metric forms chosen afresh, IPv4 mask lengths, TCP objects, the AGR
 * DSR). Verified byte for byte against the real racluster -w output.
 * @module
 */

import { DsrType } from "../record/dsr_type.ts";
import { PaddedCopy } from "../record/padded_copy.ts";

/** Time DSR per-side bits. */
export const T_SRC_START = 0x08,
  T_SRC_END = 0x10,
  T_DST_START = 0x20,
  T_DST_END = 0x40;
const T_MASK = 0x78;

/** Flow qualifier / subtype bits. */
const REVERSE = 0x40, DIRECTION = 0x20, MASKLEN = 0x40;

/** Address types (flow qualifier low 5 bits). */
export const ADDR_IPV4 = 1, ADDR_IPV6 = 2, ADDR_ETHER = 3, ADDR_ARP = 4;

/** Network DSR subtypes. */
export const NET_TCP_INIT = 3, NET_TCP_STATUS = 4, NET_TCP_PERF = 5;
const NET_RTP = 0x0a, NET_RTCP = 0x0b;

/** Size of the canonical TCP object (ArgusTCPObject), bytes. */
export const TCP_OBJECT = 116;

const ICMP_REPLIES = new Set([0, 14, 16, 18]);

/** A (min, mean, stdev, max) statistics block of the AGR DSR. */
export class AgrStats {
  n = 0;
  min = 0;
  mean = 0;
  stdev = 0;
  max = 0;
  readonly fdist: Uint8Array;

  /** `fdist`: 8 bytes for the distribution (a new array if not given). */
  constructor(fdist: Uint8Array = new Uint8Array(8)) {
    this.fdist = fdist;
  }

  copyFrom(o: AgrStats): void {
    this.n = o.n;
    this.min = o.min;
    this.mean = o.mean;
    this.stdev = o.stdev;
    this.max = o.max;
    this.fdist.set(o.fdist);
  }
  clear(): void {
    this.n =
      this.min =
      this.mean =
      this.stdev =
      this.max =
        0;
    const f = this.fdist;
    for (let i = 0; i < 8; i++) f[i] = 0;
  }
}

/** Raw DSRs kept as read, by their slot in argus's canonical order. */
const RAW_SLOT: Record<number, number> = {
  [DsrType.VLAN]: 6,
  [DsrType.JITTER]: 8,
  [DsrType.PSIZE]: 10,
  [DsrType.MAC]: 13,
  [DsrType.ICMP]: 14,
  [DsrType.ENCAPS]: 15,
  [DsrType.BEHAVIOR]: 17,
  [DsrType.COCODE]: 19,
  [DsrType.LABEL]: 20,
  [DsrType.ASN]: 21,
};
const RAW_SLOTS = 22;
/**
 * The raw slots a record can fill (those of RAW_SLOT, the packet sizes
 * and the two user data slots), in order: the others stay null, and the
 * loops over a record's raw DSRs visit these only.
 */
export const RAW_USED: readonly number[] = [
  ...new Set([...Object.values(RAW_SLOT), 10, 11, 12]),
].sort((a, b) => a - b);
/** Owned byte arrays beyond the raw slots: transport and MPLS. */
export const OWN_TRANSPORT = RAW_SLOTS, OWN_MPLS = RAW_SLOTS + 1;

/** Microseconds of a (seconds, µs) pair. */
function us(sec: number, usec: number): number {
  return sec * 1_000_000 + usec;
}

/** A time DSR's (seconds, µs or ns) pair at `at`, µs. */
function timeAt(v: DataView, at: number, nano: boolean): number {
  const sec = v.getUint32(at);
  let usec = v.getUint32(at + 4);
  if (nano) usec = Math.floor(usec / 1000);
  return us(sec, usec);
}
function secOf(t: number): number {
  return Math.floor(t / 1_000_000);
}
/**
 * secOf(t) === 0 without the division (times are whole microseconds):
 * the corrections test it a dozen times per record.
 */
function noSec(t: number): boolean {
  return t >= 0 && t < 1_000_000;
}

/**
 * Where the fixed byte parts of a record lie in its one block of memory:
 * an aggregate's bytes side by side, so a merge into an aggregate that is
 * cold in the CPU's caches misses fewer lines than with an array apiece.
 */
const MEM_FLOW = 0, MEM_ATTR = 64, MEM_ACT = 80, MEM_IDLE = 88;
const MEM_NET = 96, MEM_BYTES = MEM_NET + 512;

/** One record in racluster's canonical form. */
export class CanonRecord {
  readonly #mem = new ArrayBuffer(MEM_BYTES);

  /** Header type and cause bytes. */
  type = 0;
  cause = 0;

  transport: Uint8Array | null = null;

  /** Canonical flow DSR, header included (flowWords words). */
  hasFlow = false;
  readonly flow = new Uint8Array(this.#mem, MEM_FLOW, 64);
  /** The flow bytes as words (host order), to clear and copy them. */
  readonly flow32 = new Uint32Array(this.#mem, MEM_FLOW, 16);
  flowWords = 0;

  /** The protocol the flow had when read (how its port bytes are held). */
  firstProto = 0;

  hasTime = false;
  timeQual = 0x18;
  /** In-memory time subtype (per-side bits). */
  timeBits = 0;
  srcStart = 0;
  srcEnd = 0;
  dstStart = 0;
  dstEnd = 0;

  hasMetric = false;
  sp = 0;
  sb = 0;
  sa = 0;
  dp = 0;
  db = 0;
  da = 0;

  hasAgr = false;
  agrSubtype = 4;
  agrCount = 0;
  agrLastStartSec = 0;
  agrLastStartUsec = 0;
  agrLastSec = 0;
  agrLastUsec = 0;
  readonly act = new AgrStats(new Uint8Array(this.#mem, MEM_ACT, 8));
  readonly idle = new AgrStats(new Uint8Array(this.#mem, MEM_IDLE, 8));

  /** Network DSR: header fields and canonical body bytes. */
  hasNet = false;
  netSubtype = 0;
  netQual = 0;
  netWords = 0;
  readonly net = new Uint8Array(this.#mem, MEM_NET, 512);
  readonly netView = new DataView(this.#mem, MEM_NET, 512);
  /** The network bytes as words (host order), to copy them. */
  readonly net32 = new Uint32Array(this.#mem, MEM_NET, 128);

  /** IP attributes: qualifier, canonical src and dst (ttl tos ipid opts). */
  hasAttr = false;
  attrType: number = DsrType.IPATTR;
  attrSubtype = 0;
  attrQual = 0;
  readonly attr = new Uint8Array(this.#mem, MEM_ATTR, 16);
  /** The attribute bytes as words (host order), to clear and copy them. */
  readonly attr32 = new Uint32Array(this.#mem, MEM_ATTR, 4);

  mpls: Uint8Array | null = null;
  /** Other DSRs, copied as read, by slot. */
  readonly raw: (Uint8Array | null)[] = Array.from(
    { length: RAW_SLOTS },
    () => null,
  );

  #icmpBuf: Uint8Array | null = null;
  /** Byte arrays this record owns, by part (see ownedCopy). */
  readonly #owned: (Uint8Array | undefined)[] = [];
  /** The input buffer last read, and a view of it. */
  #inBuf: Uint8Array | null = null;
  #inView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** The record's DSR bytes were read from `buf` (null after a copy). */
  #scratch = true;

  /** Clears every part. */
  clear(): void {
    this.transport = null;
    this.hasFlow = this.hasTime = this.hasMetric = false;
    this.hasAgr = this.hasNet = this.hasAttr = false;
    const fw = this.flow32;
    for (let i = 0; i < 16; i++) fw[i] = 0;
    this.flowWords = 0;
    this.timeBits = 0;
    this.srcStart =
      this.srcEnd =
      this.dstStart =
      this.dstEnd =
        0;
    this.sp =
      this.sb =
      this.sa =
      this.dp =
      this.db =
      this.da =
        0;
    this.mpls = null;
    const raw = this.raw;
    for (let i = 0; i < RAW_USED.length; i++) raw[RAW_USED[i]!] = null;
    this.netSubtype = this.netQual = this.netWords = 0;
    // The attribute bytes are read only with hasAttr, and set with it.
    this.attrQual = 0;
  }

  /**
   * src[from..to) copied into a byte array this record owns for `part`
   * (a raw slot, OWN_TRANSPORT or OWN_MPLS), reused while the length
   * stays the same: a copy of a few bytes costs less than a view or a
   * new array per record. The array is this record's until the next
   * load or restore of the same part.
   */
  ownedCopy(
    part: number,
    src: Uint8Array,
    from: number,
    to: number,
  ): Uint8Array {
    const n = to - from;
    let o = this.#owned[part];
    if (o === undefined || o.length !== n) {
      o = new Uint8Array(n);
      this.#owned[part] = o;
    }
    for (let i = 0; i < n; i++) o[i] = src[from + i]!;
    return o;
  }

  /** The zero-padded copy `load` reads records at a buffer's end from. */
  readonly #padded = new PaddedCopy();

  /**
   * Loads the flow record at buf[start..start+length) as racluster reads
   * it; `correct` applies the client corrections (TCP and ICMP direction).
   * Returns false for records racluster does not aggregate (MARs).
   */
  load(
    buf: Uint8Array,
    start: number,
    length: number,
    correct: boolean,
  ): boolean {
    const t = buf[start]! & 0xf0;
    if (t & 0x80) return false;
    this.clear();
    this.#scratch = true;
    this.type = buf[start]!;
    this.cause = buf[start + 1]!;
    // Near the end of its buffer a record is read from a zero-padded copy:
    // DSRs whose damaged lengths are shorter than their fields are read at
    // those fields all the same (as argus reads them), never past the end.
    const copy = this.#padded.around(buf, start, length);
    if (copy !== null) {
      buf = copy;
      start = 0;
    }
    if (buf !== this.#inBuf) {
      this.#inBuf = buf;
      this.#inView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const v = this.#inView;
    const end = start + length;
    let flowAt = -1, timeAt = -1, metricAt = -1, netAt = -1;
    for (let p = start + 4; p + 4 <= end;) {
      const type = buf[p]! & 0x7f;
      let words = buf[p + 3]!;
      if (type === DsrType.DATA) words = (buf[p + 2]! << 8) | buf[p + 3]!;
      if (words === 0 || p + words * 4 > end) break;
      const stop = p + words * 4;
      switch (type) {
        case DsrType.TRANSPORT:
          this.transport = this.ownedCopy(OWN_TRANSPORT, buf, p, stop);
          break;
        case DsrType.FLOW:
          flowAt = p;
          break;
        case DsrType.TIME:
          timeAt = p;
          break;
        case DsrType.METER:
          metricAt = p;
          break;
        case DsrType.NETWORK:
          netAt = p;
          break;
        case DsrType.IPATTR:
          this.#loadAttr(buf, p);
          break;
        case DsrType.MPLS:
          this.mpls = this.ownedCopy(OWN_MPLS, buf, p, stop);
          break;
        case DsrType.AGR:
          this.#loadAgr(v, p);
          break;
        case DsrType.DATA: {
          // User data: 16-bit length form, source or destination; argus
          // turns the 8-bit form into it when reading.
          const sub = buf[p + 1]!;
          if (sub & 0x80) {
            const slot = sub & 0x20 ? 12 : 11;
            this.raw[slot] = this.ownedCopy(slot, buf, p, stop);
          } else {
            const src = (buf[p + 2]! & 0x10) !== 0;
            const d = buf.slice(p, stop);
            d[1] = 0x80 | (src ? 0x10 : 0x20);
            d[2] = (words >> 8) & 0xff;
            d[3] = words & 0xff;
            this.raw[src ? 11 : 12] = d;
          }
          break;
        }
        case DsrType.PSIZE:
          this.raw[10] = loadPsize(buf, p);
          break;
        default: {
          const slot = RAW_SLOT[type];
          if (slot !== undefined) {
            this.raw[slot] = this.ownedCopy(slot, buf, p, stop);
          }
        }
      }
      p += words * 4;
    }
    if (metricAt >= 0) this.#loadMetric(v, metricAt);
    if (flowAt >= 0) this.#loadFlow(buf, flowAt);
    if (netAt >= 0) this.#loadNet(buf, v, netAt);
    if (timeAt >= 0) this.#loadTime(v, timeAt);
    if (!this.hasAgr && this.sp + this.dp > 0) {
      // Every record read gets an AGR of one (ArgusGenerateRecordStruct).
      this.hasAgr = true;
      this.agrSubtype = 4;
      this.agrCount = 1;
      this.agrLastStartSec = this.agrLastStartUsec = 0;
      this.agrLastSec = this.agrLastUsec = 0;
      const value = this.duration();
      this.act.clear();
      this.act.n = 1;
      this.act.min = this.act.mean = this.act.max = value;
      this.idle.clear();
    }
    const mac = this.raw[13];
    if (this.hasNet && this.netWords * 4 - 4 > TCP_OBJECT && mac) {
      // A network DSR longer than argus's canonical object (ARP with -m)
      // runs into its MAC DSR in memory, which is read after it.
      this.net.set(mac.subarray(0, 20), TCP_OBJECT);
    }
    const icmp = this.raw[14];
    if (icmp && icmp.length > 28) {
      // argus keeps 28 bytes of an ICMP DSR but writes its stated length:
      // the word after it in memory is the AGR header.
      const b = this.#icmpBuf ??= new Uint8Array(1024);
      b.fill(0);
      b.set(icmp.subarray(0, 28));
      if (this.hasAgr) b.set([DsrType.AGR, this.agrSubtype, 0x01, 20], 28);
      this.raw[14] = b.subarray(0, icmp.length);
    }
    if (this.hasTime) this.#correctTime();
    if (this.hasFlow) this.#correctFlow(correct);
    if (this.sp + this.dp > 1000 && this.duration() === 0) {
      this.cause = (this.cause & 0x0f) | 0x80;
      this.sp =
        this.sb =
        this.sa =
        this.dp =
        this.db =
        this.da =
          0;
    }
    return true;
  }

  /** Copies `o` into this record (own storage, nothing shared). */
  copyFrom(o: CanonRecord): void {
    this.type = o.type;
    this.cause = o.cause;
    this.transport = o.transport === null ? null : o.transport.slice();
    this.hasFlow = o.hasFlow;
    this.flow.set(o.flow);
    this.flowWords = o.flowWords;
    this.firstProto = o.firstProto;
    this.hasTime = o.hasTime;
    this.timeQual = o.timeQual;
    this.timeBits = o.timeBits;
    this.srcStart = o.srcStart;
    this.srcEnd = o.srcEnd;
    this.dstStart = o.dstStart;
    this.dstEnd = o.dstEnd;
    this.hasMetric = o.hasMetric;
    this.sp = o.sp;
    this.sb = o.sb;
    this.sa = o.sa;
    this.dp = o.dp;
    this.db = o.db;
    this.da = o.da;
    this.hasAgr = o.hasAgr;
    this.agrSubtype = o.agrSubtype;
    this.agrCount = o.agrCount;
    this.agrLastStartSec = o.agrLastStartSec;
    this.agrLastStartUsec = o.agrLastStartUsec;
    this.agrLastSec = o.agrLastSec;
    this.agrLastUsec = o.agrLastUsec;
    this.act.copyFrom(o.act);
    this.idle.copyFrom(o.idle);
    this.hasNet = o.hasNet;
    this.netSubtype = o.netSubtype;
    this.netQual = o.netQual;
    this.netWords = o.netWords;
    this.net.set(o.net.subarray(0, o.netWords * 4));
    this.hasAttr = o.hasAttr;
    this.attrType = o.attrType;
    this.attrSubtype = o.attrSubtype;
    this.attrQual = o.attrQual;
    this.attr.set(o.attr);
    this.mpls = o.mpls === null ? null : o.mpls.slice();
    for (let i = 0; i < RAW_SLOTS; i++) {
      const r = o.raw[i];
      this.raw[i] = r === null || r === undefined ? null : r.slice();
    }
    this.#scratch = false;
  }

  /** Whether the DSR bytes still point into the input buffer. */
  get borrowed(): boolean {
    return this.#scratch;
  }

  // --- loading ---------------------------------------------------------------

  #loadMetric(v: DataView, p: number): void {
    const sub = v.getUint8(p + 1), q = v.getUint8(p + 2) & 0x0f;
    const b = p + 4, end = p + v.getUint8(p + 3) * 4;
    this.hasMetric = true;
    const app = sub === 0x04;
    const size = METER_SIZES[q] ?? 0;
    if (size === 0) return;
    if (q <= 4) {
      if (app) {
        this.sp = meterValue(v, b, end, size, 0);
        this.sb = meterValue(v, b, end, size, 1);
        this.sa = meterValue(v, b, end, size, 2);
        this.dp = meterValue(v, b, end, size, 3);
        this.db = meterValue(v, b, end, size, 4);
        this.da = meterValue(v, b, end, size, 5);
      } else {
        this.sp = meterValue(v, b, end, size, 0);
        this.sb = meterValue(v, b, end, size, 1);
        this.dp = meterValue(v, b, end, size, 2);
        this.db = meterValue(v, b, end, size, 3);
      }
    } else if (q <= 8) {
      this.sp = meterValue(v, b, end, size, 0);
      this.sb = meterValue(v, b, end, size, 1);
      if (app) this.sa = meterValue(v, b, end, size, 2);
    } else {
      this.dp = meterValue(v, b, end, size, 0);
      this.db = meterValue(v, b, end, size, 1);
      if (app) this.da = meterValue(v, b, end, size, 2);
    }
  }

  #loadAgr(v: DataView, p: number): void {
    // A damaged DSR length can leave the DSR's fixed part past the end of
    // the buffer: those bytes read as zeros (argus reads what follows).
    if (p + AGR_FIXED > v.byteLength) {
      const pad = new Uint8Array(AGR_FIXED);
      pad.set(new Uint8Array(v.buffer, v.byteOffset + p, v.byteLength - p));
      v = new DataView(pad.buffer);
      p = 0;
    }
    this.hasAgr = true;
    this.agrSubtype = v.getUint8(p + 1);
    this.agrCount = v.getUint32(p + 4);
    this.agrLastStartSec = v.getInt32(p + 8, true);
    this.agrLastStartUsec = v.getInt32(p + 12, true);
    this.agrLastSec = v.getInt32(p + 16, true);
    this.agrLastUsec = v.getInt32(p + 20, true);
    // argus reads the DSR through ArgusOutputAgrStruct, whose statistics
    // blocks are 40 bytes (a histogram union), not the 28 it writes: the
    // duration block reads right, the idle block from 40 bytes further,
    // past this DSR's end into what follows it; neither distribution is
    // read. Verified by racluster over racluster output.
    readStats(v, p + 24, this.act);
    this.act.fdist.fill(0);
    const idle = this.idle;
    idle.clear();
    const at = p + 64, end = v.byteLength;
    if (at + 4 <= end) idle.n = v.getInt32(at, true);
    if (at + 8 <= end) idle.min = v.getFloat32(at + 4, true);
    if (at + 12 <= end) idle.mean = v.getFloat32(at + 8, true);
    if (at + 16 <= end) idle.stdev = v.getFloat32(at + 12, true);
    if (at + 20 <= end) idle.max = v.getFloat32(at + 16, true);
  }

  /** The canonical flow: key turned back to the originator's view. */
  #loadFlow(b: Uint8Array, p: number): void {
    const subtype = b[p + 1]!, qual = b[p + 2]!, words = b[p + 3]!;
    const f = this.flow;
    this.hasFlow = true;
    const kind = subtype & 0x3f;
    const reverse = (subtype & REVERSE) !== 0;
    f[0] = b[p]!;
    f[1] = subtype;
    f[2] = qual;
    const k = p + 4;
    if (kind === 0x01 || kind === 0x02) {
      switch (qual & 0x1f) {
        case ADDR_IPV4: {
          this.flowWords = 5;
          const frag = (qual & 0x80) !== 0;
          const s = reverse ? k + 4 : k, d = reverse ? k : k + 4;
          copyBytes(f, 4, b, s, s + 4);
          copyBytes(f, 8, b, d, d + 4);
          if (frag) {
            // frag_flow: addresses and protocol only.
            if (kind === 0x01) f[12] = b[k + 8]!;
          } else if (kind === 0x01) {
            // ArgusGenerateRecordStruct copies per protocol; the rest is 0.
            const proto = b[k + 8]!;
            f[12] = proto;
            if (proto === 6 || proto === 17) {
              const sp = reverse ? k + 12 : k + 10;
              const dp = reverse ? k + 10 : k + 12;
              f[14] = b[sp]!;
              f[15] = b[sp + 1]!;
              f[16] = b[dp]!;
              f[17] = b[dp + 1]!;
            } else if (proto === 1) {
              copyBytes(f, 14, b, k + 10, k + 16);
            } else if (proto === 50) {
              // The SPI (host order) shares its upper half with the masks;
              // written back, the masks come first, then its low half.
              f[18] = b[k + 14]!;
              f[19] = b[k + 15]!;
            }
          } else {
            copyBytes(f, 12, b, k + 8, k + 16);
          }
          if (frag) {
            f[3] = this.flowWords;
            break;
          }
          if (f[12] === 50) {
            f[16] = 32;
            f[17] = 32;
            f[2] = qual | MASKLEN;
            break;
          }
          if (qual & MASKLEN) {
            f[18] = (reverse ? b[k + 15] : b[k + 14]) || 32;
            f[19] = (reverse ? b[k + 14] : b[k + 15]) || 32;
          } else {
            f[18] = 32;
            f[19] = 32;
          }
          f[2] = qual | MASKLEN;
          break;
        }
        case ADDR_IPV6: {
          this.flowWords = 12;
          const s = reverse ? k + 16 : k, d = reverse ? k : k + 16;
          copyBytes(f, 4, b, s, s + 16);
          copyBytes(f, 20, b, d, d + 16);
          if (kind === 0x01) {
            const proto = b[k + 32]!;
            copyBytes(f, 36, b, k + 32, k + 36);
            if (proto === 6 || proto === 17) {
              const sp = reverse ? k + 38 : k + 36;
              const dp = reverse ? k + 36 : k + 38;
              f[40] = b[sp]!;
              f[41] = b[sp + 1]!;
              f[42] = b[dp]!;
              f[43] = b[dp + 1]!;
            } else if (proto === 58) {
              f[40] = b[k + 36]!;
              f[41] = b[k + 37]!;
              f[42] = b[k + 38]!;
              f[43] = b[k + 39]!;
            } else {
              copyBytes(f, 40, b, k + 36, k + 40);
            }
          }
          if (qual & MASKLEN && words >= 12) {
            f[44] = b[reverse ? k + 42 : k + 40]!;
            f[46] = b[reverse ? k + 40 : k + 42]!;
            if (f[44]! > 128) f[44] = 128;
            if (f[46]! > 128) f[46] = 128;
          } else {
            f[44] = 128;
            f[46] = 128;
          }
          f[2] = qual | MASKLEN;
          break;
        }
        default:
          this.#flowAsRead(b, p, words);
      }
    } else if (kind === 0x06 && (qual & 0x1f) === 5) {
      // RARP: argus keeps 18 bytes of the key.
      this.flowWords = words;
      copyBytes(f, 4, b, k, k + Math.min(18, words * 4 - 4));
    } else if (kind === 0x06 && (qual & 0x1f) === ADDR_ARP) {
      // ARP flows: the canonical ArgusArpFlow, 12 words of key.
      this.flowWords = 13;
      copyBytes(f, 4, b, k, k + Math.min(16, words * 4 - 4));
    } else {
      this.#flowAsRead(b, p, words);
    }
    f[3] = this.flowWords;
    const addr = qual & 0x1f;
    this.firstProto = addr === ADDR_IPV4
      ? f[12]!
      : addr === ADDR_IPV6
      ? f[36]!
      : 0;
  }

  #flowAsRead(b: Uint8Array, p: number, words: number): void {
    const n = Math.min(words * 4, this.flow.length);
    copyBytes(this.flow, 0, b, p, p + n);
    this.flowWords = n >> 2;
  }

  #loadNet(b: Uint8Array, v: DataView, p: number): void {
    const subtype = b[p + 1]!, qual = b[p + 2]!, words = b[p + 3]!;
    const n = this.net, nv = this.netView;
    this.hasNet = true;
    this.netSubtype = subtype;
    this.netQual = qual;
    const body = p + 4;
    // The canonical object's 120 bytes are zero but for what is copied;
    // a TCP performance object (most TCP records) is copied word by word.
    let copied = 0;
    if (subtype === NET_TCP_PERF) {
      copied = Math.min(TCP_OBJECT, words * 4 - 4);
      for (let i = 0; i < copied; i += 4) {
        nv.setUint32(i, v.getUint32(body + i));
      }
    }
    for (let i = copied; i < 4 + TCP_OBJECT; i += 4) nv.setUint32(i, 0);
    switch (subtype) {
      case 0:
        this.hasNet = false;
        return;
      case NET_RTP:
      case NET_RTCP:
        // Kept only when whole (ArgusRTPObject / ArgusRTCPObject).
        if (words * 4 !== (subtype === NET_RTP ? 36 : 28)) {
          this.hasNet = false;
          return;
        }
        copyBytes(n, 0, b, body, body + words * 4 - 4);
        this.netWords = words;
        return;
      case NET_TCP_INIT: {
        // ArgusTCPInitStatus: status seqbase options win flags winshift.
        copyBytes(n, 0, b, body, body + 4); // status
        copyBytes(n, 32, b, body + 4, body + 8); // src.seqbase
        copyBytes(n, 8, b, body + 8, body + 12); // options
        copyBytes(n, 64, b, body + 12, body + 16); // src win flags winshift
        this.netWords = 30;
        return;
      }
      case NET_TCP_STATUS: {
        copyBytes(n, 0, b, body, body + 4);
        n[66] = this.sp ? b[body + 4]! : 0;
        n[114] = this.dp ? b[body + 5]! : 0;
        this.netWords = 30;
        return;
      }
      case NET_TCP_PERF: {
        if (!this.sp) {
          nv.setUint16(64, 0);
          n[66] = 0;
        }
        if (!this.dp) {
          nv.setUint16(112, 0);
          n[114] = 0;
        }
        this.netWords = 30;
        return;
      }
      default:
        copyBytes(n, 0, b, body, body + words * 4 - 4);
        this.netWords = words;
        // The ICMP object's sequence half-word is not kept.
        if (subtype === 0x34) n[2] = n[3] = 0;
    }
  }

  #loadAttr(buf: Uint8Array, p: number): void {
    this.hasAttr = true;
    this.attrType = buf[p]!;
    this.attrSubtype = buf[p + 1]!;
    const q = buf[p + 2]!;
    this.attrQual = q;
    const a = this.attr, a32 = this.attr32;
    a32[0] =
      a32[1] =
      a32[2] =
      a32[3] =
        0;
    let at = p + 4;
    if (q & 0x01) {
      copyBytes(a, 0, buf, at, at + 4);
      at += 4;
    }
    if (q & 0x04) {
      copyBytes(a, 4, buf, at, at + 4);
      at += 4;
    }
    if (q & 0x02) {
      copyBytes(a, 8, buf, at, at + 4);
      at += 4;
    }
    if (q & 0x08) copyBytes(a, 12, buf, at, at + 4);
  }

  #loadTime(v: DataView, p: number): void {
    this.hasTime = true;
    let subtype = v.getUint8(p + 1);
    const qual = v.getUint8(p + 2), words = v.getUint8(p + 3);
    this.timeQual = qual;
    const nano = qual === 0x20;
    if (subtype & (T_SRC_START | T_DST_START)) {
      const num = (words - 1) >> 1;
      let tind = 0, cnt = 0;
      for (let i = 0; i < 4; i++) {
        if (subtype & (T_SRC_START << i)) {
          tind |= T_SRC_START << i;
          cnt++;
        }
      }
      if (!(tind & T_SRC_START) && (tind & T_SRC_END)) cnt--;
      if (!(tind & T_DST_START) && (tind & T_DST_END)) cnt--;
      subtype &= ~0x07;
      if (cnt === num) subtype |= cnt === 1 ? 1 : 2;
      else if (cnt < num) subtype |= 2;
      else if (cnt === 1) subtype |= 4;
      else subtype |= words === 1 + (cnt + 1) ? 5 : 1;
      const form = subtype & 0x07;
      const sindex = subtype & T_SRC_START ? 0 : 2;
      let at = p + 4;
      let base = 0;
      this.srcStart =
        this.srcEnd =
        this.dstStart =
        this.dstEnd =
          0;
      for (let i = 0; i < 4; i++) {
        if (!(subtype & (T_SRC_START << i))) continue;
        let t: number;
        if (form === 1 || form === 2 || i === sindex) {
          t = timeAt(v, at, nano);
          at += 8;
          if (i === sindex) base = t;
        } else {
          t = base + v.getInt32(at);
          at += 4;
        }
        if (i === 0) this.srcStart = t;
        else if (i === 1) this.srcEnd = t;
        else if (i === 2) this.dstStart = t;
        else this.dstEnd = t;
      }
      if (this.srcEnd === 0) this.srcEnd = this.srcStart;
      else if (this.srcStart > this.srcEnd) {
        [this.srcStart, this.srcEnd] = [this.srcEnd, this.srcStart];
      }
      if (this.dstEnd === 0) {
        if (this.dstStart !== 0) this.dstEnd = this.dstStart;
      } else if (this.dstStart > this.dstEnd) {
        [this.dstStart, this.dstEnd] = [this.dstEnd, this.dstStart];
      }
      this.timeBits = subtype & T_MASK;
    } else {
      // The absolute forms argus writes: start, and end when it differs.
      this.srcStart = words >= 3 ? timeAt(v, p + 4, nano) : 0;
      this.srcEnd = words >= 5 ? timeAt(v, p + 12, nano) : 0;
      this.dstStart = words >= 7 ? timeAt(v, p + 20, nano) : 0;
      this.dstEnd = words >= 9 ? timeAt(v, p + 28, nano) : 0;
      let bits = 0;
      if (secOf(this.srcStart)) bits |= T_SRC_START;
      if (secOf(this.srcEnd)) bits |= T_SRC_END;
      const form = subtype & 0x3f;
      if (form === 1 || form === 2 || form === 3) {
        if (!secOf(this.srcStart)) this.srcStart = this.srcEnd;
        if (!secOf(this.srcEnd)) this.srcEnd = this.srcStart;
      }
      this.timeBits = bits;
    }
    if (nano) this.timeQual = 0;
  }

  /** The time corrections at the end of ArgusGenerateRecordStruct. */
  #correctTime(): void {
    const sp = this.sp, dp = this.dp;
    if (sp > 0 && dp > 0) {
      if (sp === 1 && dp === 1) {
        if (noSec(this.srcStart) && !noSec(this.dstStart)) {
          this.srcStart = this.dstEnd;
          this.srcEnd = this.dstEnd;
          this.dstEnd = this.dstStart;
        } else if (!noSec(this.srcStart) && noSec(this.dstStart)) {
          this.dstStart = this.srcEnd;
          this.dstEnd = this.srcEnd;
          this.srcEnd = this.srcStart;
        }
      } else {
        if (noSec(this.srcStart) && !noSec(this.dstStart)) {
          this.srcStart = this.dstStart;
          this.srcEnd = this.dstEnd;
        } else if (!noSec(this.srcStart) && noSec(this.dstStart)) {
          this.dstStart = this.srcStart;
          this.dstEnd = this.srcEnd;
        }
        if (sp === 1 && secOf(this.srcStart) !== secOf(this.srcEnd)) {
          if (noSec(this.srcEnd) && !noSec(this.srcStart)) {
            this.srcEnd = this.srcStart;
          } else if (noSec(this.srcStart) && !noSec(this.srcEnd)) {
            this.srcStart = this.srcEnd;
          } else this.srcEnd = this.srcStart;
        }
        if (dp === 1 && secOf(this.dstStart) !== secOf(this.dstEnd)) {
          if (noSec(this.dstEnd) && !noSec(this.dstStart)) {
            this.dstEnd = this.dstStart;
          } else if (noSec(this.dstStart) && !noSec(this.dstEnd)) {
            this.dstStart = this.dstEnd;
          } else this.dstEnd = this.dstStart;
        }
      }
      this.timeBits |= T_MASK;
    } else if (sp > 0) {
      if (noSec(this.srcStart) && !noSec(this.dstStart)) {
        this.srcStart = this.dstStart;
        this.srcEnd = this.dstEnd;
        this.dstStart = this.dstEnd = 0;
        this.timeBits = (this.timeBits & ~(T_DST_START | T_DST_END)) |
          T_SRC_START | T_SRC_END;
      }
    } else if (dp > 0) {
      if (noSec(this.dstStart) && !noSec(this.srcStart)) {
        this.dstStart = this.srcStart;
        this.dstEnd = this.srcEnd;
        this.srcStart = this.srcEnd = 0;
        this.timeBits = (this.timeBits & ~(T_SRC_START | T_SRC_END)) |
          T_DST_START | T_DST_END;
      }
    }
    let bits = this.timeBits;
    if (!(bits & (T_SRC_START | T_DST_START))) {
      bits = 0;
      if (!noSec(this.srcStart)) bits |= T_SRC_START;
      if (!noSec(this.srcEnd)) bits |= T_SRC_END;
      if (!noSec(this.dstStart)) bits |= T_DST_START;
      if (!noSec(this.dstEnd)) bits |= T_DST_END;
    }
    if ((bits & T_SRC_START) && (bits & T_SRC_END)) {
      if (this.srcStart === this.srcEnd) bits &= ~T_SRC_END;
    }
    if ((bits & T_DST_START) && (bits & T_DST_END)) {
      if (this.dstStart === this.dstEnd) bits &= ~T_DST_END;
    }
    if (sp === 0) bits &= ~(T_SRC_START | T_SRC_END);
    if (dp === 0) bits &= ~(T_DST_START | T_DST_END);
    if (!noSec(this.srcStart) && noSec(this.srcEnd)) {
      this.srcEnd = this.srcStart;
    }
    if (!noSec(this.dstStart) && noSec(this.dstEnd)) {
      this.dstEnd = this.dstStart;
    }
    const stime = this.srcEnd - this.srcStart;
    const ltime = this.dstEnd - this.dstStart;
    if (stime > 0 && sp === 0 && ltime === 0 && dp > 0) {
      this.dstStart = this.srcStart;
      this.dstEnd = this.srcEnd;
      this.srcStart = this.srcEnd = 0;
      bits &= ~(T_SRC_START | T_SRC_END);
    }
    if (ltime > 0 && dp === 0 && stime === 0 && sp > 0) {
      this.srcStart = this.dstStart;
      this.srcEnd = this.dstEnd;
      this.dstStart = this.dstEnd = 0;
      bits &= ~(T_DST_START | T_DST_END);
    }
    if (sp + dp === 1) {
      if (sp === 1 && this.srcEnd - this.srcStart !== 0) {
        if (this.raw[14] === null) this.srcStart = this.srcEnd;
      } else if (dp === 1 && this.dstEnd - this.dstStart !== 0) {
        this.dstStart = this.dstEnd;
      }
    }
    this.timeBits = bits;
  }

  /** Client corrections (ArgusPerformCorrection) and the REVERSE bit. */
  #correctFlow(correct: boolean): void {
    const f = this.flow;
    const kind = f[1]! & 0x3f;
    const addr = f[2]! & 0x1f;
    const direction = (f[2]! & DIRECTION) !== 0;
    if (kind === 0x01 || kind === 0x02) {
      if (addr === ADDR_IPV4 && correct) {
        const proto = f[12]!;
        if (proto === 6 && this.hasNet) {
          if (this.#tcpShouldReverse(direction)) {
            this.reverse();
            this.netView.setUint32(0, this.netView.getUint32(0) | DIRECTION);
            f[2] = f[2]! | DIRECTION;
          }
        } else if (proto === 1 && direction && this.sp && !this.dp) {
          if (this.hasNet && this.netSubtype === 0x34) {
            f[14] = this.net[0]!;
            f[15] = this.net[1]!;
          } else {
            f[14] = 0;
            f[15] = 0;
          }
          if (ICMP_REPLIES.has(f[14]!)) this.reverse();
        }
      } else if (addr === ADDR_IPV6 && correct) {
        const proto = f[36]!;
        if (proto === 1 && f[40] === 0) {
          f[40] = this.net[0]!;
          f[41] = this.net[1]!;
        }
      } else if ((addr === ADDR_ARP || addr === 5) && (f[1]! & REVERSE)) {
        const saved = f.slice();
        this.reverse();
        f.set(saved);
      }
    } else if (kind === 0x06 && (f[1]! & REVERSE)) {
      const saved = f.slice();
      this.reverse();
      f.set(saved);
    }
    f[1] = f[1]! & ~REVERSE;
  }

  #tcpShouldReverse(direction: boolean): boolean {
    if (direction) return false;
    const nv = this.netView;
    const status = nv.getUint32(0);
    if (!(status & 0x3)) return false;
    if ((status & 0x1) || !(status & 0x2)) return false;
    // argus reads the canonical TCP object through the wire structs of
    // TCP_INIT and TCP_STATUS records, so their flags come from other bytes.
    switch (this.netSubtype) {
      case NET_TCP_INIT:
        return (this.net[13]! & 0x02) !== 0;
      case NET_TCP_STATUS:
      case NET_TCP_PERF: {
        const perf = this.netSubtype === NET_TCP_PERF;
        let should = (status & (0x4 | 0x20 | 0x8 | 0x10)) !== 0;
        const sf = perf ? this.net[66]! : this.net[7]!;
        const df = perf ? this.net[114]! : this.net[6]!;
        if ((sf & 0x02) && !(df & 0x04)) {
          if (this.sp > 5 && this.dp > 5) should = true;
          else if (
            this.sp && this.dp === 0 && (sf & 0x02) && (sf & 0x01) &&
            Math.floor(this.sb / this.sp) > 60
          ) should = true;
        }
        return should;
      }
    }
    return false;
  }

  /**
   * The key's REVERSE bit: set by a turn after ra's corrections (the
   * RA_PORT_DIRECTION rule), it makes the port sorts read the other port
   * and the Dir column of a flow with a SYN read "<-".
   */
  get reversed(): boolean {
    return this.hasFlow && (this.flow[1]! & REVERSE) !== 0;
  }

  /**
   * An IPv4 ESP key's SPI as argus holds it (the word its masks share,
   * merged to 0 when the SPIs differed), which racluster prints; -1 for
   * any other key. Read back from a file, the masks read 32 again.
   */
  heldSpi(): number {
    const f = this.flow;
    if (!this.hasFlow || (f[1]! & 0x3f) !== 0x01) return -1;
    if ((f[2]! & 0x1f) !== ADDR_IPV4 || f[12] !== 50 || f[2]! & 0x80) {
      return -1;
    }
    return ((f[16]! << 24) | (f[17]! << 16) | (f[18]! << 8) | f[19]!) >>> 0;
  }

  /** ArgusReverseRecord: turns the record round. */
  reverse(): void {
    const f = this.flow;
    if (this.hasFlow) {
      f[1] = f[1]! ^ REVERSE;
      f[2] = f[2]! ^ DIRECTION;
      const kind = f[1]! & 0x3f;
      const addr = f[2]! & 0x1f;
      if (kind === 0x01) {
        if (addr === ADDR_IPV4) {
          swapBytes(f, 4, 8, 4);
          const proto = f[12]!;
          if (proto === 6 || proto === 17) swapBytes(f, 14, 16, 2);
        } else if (addr === ADDR_IPV6) {
          // argus swaps the IPv6 ports in a copy it then overwrites.
          swapBytes(f, 4, 20, 16);
        } else if (addr === ADDR_ARP) {
          swapBytes(f, 12, 16, 4);
        }
      } else if (kind === 0x06 && addr === ADDR_ARP) {
        swapBytes(f, 12, 16, 4);
      }
    }
    if (this.hasAttr) {
      const q = this.attrQual;
      let nq = q & ~0x0f;
      if (q & 0x01) nq |= 0x02;
      if (q & 0x02) nq |= 0x01;
      if (q & 0x04) nq |= 0x08;
      if (q & 0x08) nq |= 0x04;
      if (q !== 0) {
        this.attrQual = nq;
        swapBytes(this.attr, 0, 8, 8);
      }
    }
    if (this.hasTime && (this.timeBits & T_MASK)) {
      const b = this.timeBits;
      let nb = b & ~T_MASK;
      if (b & T_SRC_START) nb |= T_DST_START;
      if (b & T_DST_START) nb |= T_SRC_START;
      if (b & T_SRC_END) nb |= T_DST_END;
      if (b & T_DST_END) nb |= T_SRC_END;
      this.timeBits = nb;
      [this.srcStart, this.dstStart] = [this.dstStart, this.srcStart];
      [this.srcEnd, this.dstEnd] = [this.dstEnd, this.srcEnd];
    }
    if (this.hasNet && this.netSubtype >= 3 && this.netSubtype <= 5) {
      swapBytes(this.net, 20, 68, 48);
    }
    if (this.hasMetric) {
      [this.sp, this.dp] = [this.dp, this.sp];
      [this.sb, this.db] = [this.db, this.sb];
      [this.sa, this.da] = [this.da, this.sa];
    }
  }

  // --- values ------------------------------------------------------------------

  /** Earliest and latest time, µs (ArgusFetchStartTime / LastTime). */
  startTime(): number {
    let t = 0;
    const b = this.timeBits;
    if (b & T_SRC_START) t = this.srcStart;
    if ((b & T_DST_START) && (t === 0 || this.dstStart < t)) t = this.dstStart;
    if (t === 0) t = this.srcStart || this.dstStart;
    return t;
  }
  lastTime(): number {
    let t = 0;
    const b = this.timeBits;
    if (b & (T_SRC_START | T_SRC_END)) t = Math.max(this.srcEnd, this.srcStart);
    if (b & (T_DST_START | T_DST_END)) {
      t = Math.max(t, this.dstEnd, this.dstStart);
    }
    if (t === 0) t = Math.max(this.srcEnd, this.dstEnd);
    return t;
  }

  /** RaGetFloatDuration as a float, seconds. */
  duration(): number {
    if (!this.hasTime) return 0;
    const d = this.lastTime() - this.startTime();
    const sec = Math.trunc(d / 1_000_000), usec = d - sec * 1_000_000;
    return Math.fround(sec + usec / 1000000.0);
  }

  // --- writing ---------------------------------------------------------------

  /**
   * Writes the record as ArgusGenerateRecord does, into out[at..]; returns
   * the byte length. `out` must have room (4 KiB is plenty). `printing`
   * (which argus does from memory) keeps times whose relative form would
   * wrap its 32-bit offsets absolute, and leaves the key's REVERSE bit
   * out: argus prints the key as held, where the bit (RA_PORT_DIRECTION's
   * turn) does not turn it back as it does when the record is read.
   */
  encode(
    out: Uint8Array,
    at: number,
    dropCountOneAgr = true,
    printing = false,
  ): number {
    const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
    let p = at + 4;
    out[at] = (this.type & 0xf0) | 0x03;
    out[at + 1] = this.cause;
    if (this.transport !== null) {
      out.set(this.transport, p);
      p += this.transport.length;
    }
    if (this.hasFlow) {
      out.set(this.flow.subarray(0, this.flowWords * 4), p);
      out[p + 3] = this.flowWords;
      if (printing) out[p + 1] = out[p + 1]! & ~REVERSE;
      this.#hostOrderPorts(out, p);
      p += this.flowWords * 4;
    }
    if (this.hasTime) p = this.#encodeTime(out, v, p, printing);
    if (this.hasMetric) p = this.#encodeMetric(out, v, p);
    if (this.hasAgr && !(dropCountOneAgr && this.agrCount === 1)) {
      p = this.#encodeAgr(out, v, p);
    }
    if (this.hasNet) p = this.#encodeNet(out, v, p);
    const vlan = this.raw[6];
    if (vlan) {
      out.set(vlan, p);
      p += vlan.length;
    }
    if (this.mpls !== null) {
      // argus builds the subtype from whatever its output buffer held at
      // that spot (the previous record), keeping only the label bits.
      const m = this.mpls, stale = out[p + 1]! & ~0x03;
      const start = p;
      out.set(m.subarray(0, 4), p);
      p += 4;
      let sub = stale;
      if ((m[2]! & 0xf0) && m.length >= 8) {
        sub |= 0x01;
        out.set(m.subarray(4, 8), p);
        p += 4;
      }
      if ((m[2]! & 0x0f) && m.length >= 12) {
        sub |= 0x02;
        out.set(m.subarray(8, 12), p);
        p += 4;
      }
      out[start + 1] = sub;
      out[start + 3] = (p - start) >> 2;
    }
    const jitter = this.raw[8];
    if (jitter) {
      out.set(jitter, p);
      p += jitter.length;
    }
    if (this.hasAttr) {
      const start = p;
      out[p] = this.attrType;
      out[p + 1] = this.attrSubtype;
      out[p + 2] = this.attrQual;
      p += 4;
      const q = this.attrQual;
      if (q & 0x01) {
        out.set(this.attr.subarray(0, 4), p);
        p += 4;
      }
      if (q & 0x04) {
        out.set(this.attr.subarray(4, 8), p);
        p += 4;
      }
      if (q & 0x02) {
        out.set(this.attr.subarray(8, 12), p);
        p += 4;
      }
      if (q & 0x08) {
        out.set(this.attr.subarray(12, 16), p);
        p += 4;
      }
      out[start + 3] = (p - start) >> 2;
    }
    const psize = this.raw[10];
    if (psize) p = encodePsize(psize, out, p);
    for (let slot = 11; slot < RAW_SLOTS; slot++) {
      const r = this.raw[slot];
      if (!r) continue;
      out.set(r, p);
      p += r.length;
    }
    v.setUint16(at + 2, (p - at) >> 2);
    return p - at;
  }

  /**
   * argus writes ports in network order only for TCP and UDP (and ICMP's
   * id): when merging zeroed the protocol, the ports it kept go out in
   * host (little-endian) order.
   */
  #hostOrderPorts(out: Uint8Array, p: number): void {
    const f = this.flow;
    if ((f[1]! & 0x3f) !== 0x01) return;
    const addr = f[2]! & 0x1f;
    let at: number, proto: number;
    if (addr === ADDR_IPV4 && !(f[2]! & 0x80)) {
      at = 14;
      proto = f[12]!;
      // ICMP's and IGMP's ip id, where the masks are, is swapped as one
      // short.
      if (proto === 1 || proto === 2) swapBytes(out, p + 18, p + 19, 1);
      if (proto === 6 || proto === 17 || proto === 1 || proto === 50) return;
      if (proto === 2) return;
      if (this.firstProto === 50) {
        // An ESP key held as the SPI word (masks in its upper half) goes
        // out unswapped once the protocol is gone.
        swapBytes(out, p + 16, p + 19, 1);
        swapBytes(out, p + 17, p + 18, 1);
        return;
      }
    } else if (addr === ADDR_IPV6) {
      at = 40;
      proto = f[36]!;
      if (proto === 6 || proto === 17 || proto === 58) return;
    } else return;
    const first = this.firstProto;
    if (first === 6 || first === 17) swapBytes(out, p + at, p + at + 1, 1);
    if (first === 6 || first === 17 || first === 1 || first === 58) {
      swapBytes(out, p + at + 2, p + at + 3, 1);
    }
  }

  /** Whether a relative time DSR with these sides wraps an offset. */
  #offsetsWrap(sub: number): boolean {
    const fits = (d: number) => d >= -0x80000000 && d <= 0x7fffffff;
    if (sub & T_SRC_START) {
      const base = this.srcStart;
      return (!!(sub & T_SRC_END) && !fits(this.srcEnd - base)) ||
        (!!(sub & T_DST_START) && !fits(this.dstStart - base)) ||
        (!!(sub & T_DST_END) && !fits(this.dstEnd - base));
    }
    return false;
  }

  /**
   * ArgusFetchStartuSecTime: the start of the sides the in-memory subtype
   * names (both, or neither: the earlier set one).
   */
  #fetchStart(): number {
    const b = this.timeBits & (T_SRC_START | T_DST_START);
    if (b === T_SRC_START) return this.srcStart;
    if (b === T_DST_START) return this.dstStart;
    const s = this.srcStart, d = this.dstStart;
    if (secOf(s) > 0 && secOf(d) > 0) return s < d ? s : d;
    return secOf(s) > 0 ? s : d;
  }

  /**
   * ArgusFetchLastuSecTime: the end of the sides the in-memory subtype
   * names by their END bits (both, or neither: the later end), so a side
   * known only by its start does not count.
   */
  #fetchLast(): number {
    const b = this.timeBits & (T_SRC_END | T_DST_END);
    if (b === T_SRC_END) return this.srcEnd;
    if (b === T_DST_END) return this.dstEnd;
    return this.srcEnd > this.dstEnd ? this.srcEnd : this.dstEnd;
  }

  #encodeTime(
    out: Uint8Array,
    v: DataView,
    p: number,
    exact: boolean,
  ): number {
    let sub = 0;
    if (secOf(this.srcStart) > 0) sub |= T_SRC_START;
    if (secOf(this.srcEnd) > 0) sub |= T_SRC_END;
    if ((sub & T_SRC_START) && (sub & T_SRC_END)) {
      if (this.srcStart === this.srcEnd) sub &= ~T_SRC_END;
    }
    if (secOf(this.dstStart) > 0) sub |= T_DST_START;
    if (secOf(this.dstEnd) > 0) sub |= T_DST_END;
    if ((sub & T_DST_START) && (sub & T_DST_END)) {
      if (this.dstStart === this.dstEnd) sub &= ~T_DST_END;
    }
    if (this.hasMetric && this.sp === 0) sub &= ~(T_SRC_START | T_SRC_END);
    if (this.hasMetric && this.dp === 0) sub &= ~(T_DST_START | T_DST_END);
    let cnt = 0;
    for (let x = 0; x < 4; x++) if (sub & (T_SRC_START << x)) cnt++;
    const dur = this.#fetchLast() - this.#fetchStart();
    if (cnt && this.timeQual !== 0x20) {
      // argus measures dur by the in-memory subtype's sides, which may
      // leave out the one whose offset then wraps (checked: the real
      // racluster -w of the corpus, -m sport, files in reverse order).
      const wide = exact && cnt > 1 && this.#offsetsWrap(sub);
      sub |= cnt === 1 ? 1 : dur > 0x7fffffff || wide ? 2 : 5;
    } else sub |= 1;
    const start = p;
    out[p] = DsrType.TIME;
    out[p + 1] = sub;
    out[p + 2] = this.timeQual;
    p += 4;
    const put = (t: number): void => {
      const s = secOf(t);
      v.setUint32(p, s);
      v.setUint32(p + 4, t - s * 1_000_000);
      p += 8;
    };
    if ((sub & 0x07) === 5) {
      if (sub & T_SRC_START) {
        put(this.srcStart);
        const base = this.srcStart;
        if (sub & T_SRC_END) {
          v.setInt32(p, this.srcEnd - base);
          p += 4;
        }
        if (sub & T_DST_START) {
          v.setInt32(p, this.dstStart - base);
          p += 4;
        }
        if (sub & T_DST_END) {
          v.setInt32(p, this.dstEnd - base);
          p += 4;
        }
      } else if (sub & T_DST_START) {
        put(this.dstStart);
        if (sub & T_DST_END) {
          v.setInt32(p, dur | 0);
          p += 4;
        }
      }
    } else {
      if (sub & T_SRC_START) put(this.srcStart);
      if (sub & T_SRC_END) put(this.srcEnd);
      if (sub & T_DST_START) put(this.dstStart);
      if (sub & T_DST_END) put(this.dstEnd);
    }
    out[start + 3] = (p - start) >> 2;
    return p;
  }

  #encodeMetric(out: Uint8Array, v: DataView, p: number): number {
    const { sp, sb, sa, dp, db, da } = this;
    let type: number;
    if (sp + dp > 0 || sb + db > 0) {
      if ((sp && dp) || (sb && db)) {
        if (sp <= 0xff && dp <= 0xff && sb <= 0xff && db <= 0xff) type = 1;
        else if (sb <= 0xffff && db <= 0xffff) type = 2;
        else if (sb <= 0xffffffff && db <= 0xffffffff) type = 3;
        else type = 4;
      } else if (sp || sb) {
        type = sb <= 0xffff ? 6 : sb <= 0xffffffff ? 7 : 8;
      } else {
        type = db <= 0xffff ? 10 : db <= 0xffffffff ? 11 : 12;
      }
    } else type = 1;
    const app = sa !== 0 || da !== 0;
    const start = p;
    out[p] = DsrType.METER;
    out[p + 1] = app ? 0x04 : 0x01;
    out[p + 2] = type;
    p += 4;
    const size = [0, 1, 2, 4, 8, 1, 2, 4, 8, 1, 2, 4, 8][type]!;
    const put = (x: number): void => {
      switch (size) {
        case 1:
          out[p] = x & 0xff;
          break;
        case 2:
          v.setUint16(p, x & 0xffff);
          break;
        case 4:
          v.setUint32(p, x >>> 0);
          break;
        default:
          v.setBigUint64(p, BigInt(x));
      }
      p += size;
    };
    let vals: number[];
    if (type <= 4) vals = app ? [sp, sb, sa, dp, db, da] : [sp, sb, dp, db];
    else if (type <= 8) vals = app ? [sp, sb, sa] : [sp, sb];
    else vals = app ? [dp, db, da] : [dp, db];
    for (const x of vals) put(x);
    while ((p - start) & 3) out[p++] = 0;
    // argus's fixed lengths (the SHORT src/dst forms with app pad a word).
    let words = (p - start) >> 2;
    if (app && (type === 6 || type === 10)) words = 3;
    if (app && (type === 5 || type === 9)) words = 2;
    for (let q = p; q < start + words * 4; q++) out[q] = 0;
    p = start + words * 4;
    out[start + 3] = words;
    return p;
  }

  #encodeAgr(out: Uint8Array, v: DataView, p: number): number {
    out[p] = DsrType.AGR;
    out[p + 1] = this.agrSubtype;
    out[p + 2] = 0x01;
    out[p + 3] = 20;
    v.setUint32(p + 4, this.agrCount >>> 0);
    v.setInt32(p + 8, this.agrLastStartSec, true);
    v.setInt32(p + 12, this.agrLastStartUsec, true);
    v.setInt32(p + 16, this.agrLastSec, true);
    v.setInt32(p + 20, this.agrLastUsec, true);
    writeStats(v, p + 24, this.act);
    writeStats(v, p + 52, this.idle);
    return p + 80;
  }

  #encodeNet(out: Uint8Array, v: DataView, p: number): number {
    const n = this.net;
    out[p] = DsrType.NETWORK;
    out[p + 1] = this.netSubtype;
    out[p + 2] = this.netQual;
    switch (this.netSubtype) {
      case NET_TCP_INIT:
        out[p + 3] = 5;
        out.set(n.subarray(0, 4), p + 4);
        out.set(n.subarray(32, 36), p + 8);
        out.set(n.subarray(8, 12), p + 12);
        out.set(n.subarray(64, 68), p + 16);
        return p + 20;
      case NET_TCP_STATUS:
        out[p + 3] = 3;
        out.set(n.subarray(0, 4), p + 4);
        out[p + 8] = n[66]!;
        out[p + 9] = n[114]!;
        out[p + 10] = 0;
        out[p + 11] = 0;
        return p + 12;
      default: {
        const len = this.netWords * 4;
        out[p + 3] = this.netWords;
        out.set(n.subarray(0, len - 4), p + 4);
        void v;
        return p + len;
      }
    }
  }
}

/**
 * The packet size DSR in canonical form (ArgusPacketSizeStruct): header,
 * then per side min and max (16-bit, big-endian here) and 8 histogram
 * counts; 28 bytes.
 */
function loadPsize(b: Uint8Array, p: number): Uint8Array {
  const c = new Uint8Array(28);
  let sub = b[p + 1]!;
  const q = b[p + 2]! & 0x0f;
  c[0] = b[p]!;
  c[2] = b[p + 2]!;
  c[3] = 7;
  let at = p + 4;
  if (q === 0x02) {
    sub |= 0x03;
    copyBytes(c, 4, b, at, at + 4);
    copyBytes(c, 16, b, at + 4, at + 8);
    at += 8;
  } else if (q === 0x06) {
    sub |= 0x01;
    copyBytes(c, 4, b, at, at + 4);
    at += 4;
  } else if (q === 0x0a) {
    sub |= 0x02;
    copyBytes(c, 16, b, at, at + 4);
    at += 4;
  }
  if (sub & 0x04) {
    // Histograms: 4 bytes of two 4-bit counts per side present.
    for (const [bit, o] of [[0x01, 8], [0x02, 20]] as const) {
      if (!(sub & bit)) continue;
      for (let i = 0; i < 4; i++) {
        const x = b[at + i] ?? 0;
        c[o + 2 * i] = x >> 4;
        c[o + 2 * i + 1] = x & 0x0f;
      }
      at += 4;
    }
  }
  c[1] = sub;
  return c;
}

/** Writes the packet size DSR as ArgusGenerateRecord does. */
function encodePsize(c: Uint8Array, out: Uint8Array, p: number): number {
  const smax = (c[6]! << 8) | c[7]!, dmax = (c[18]! << 8) | c[19]!;
  const type = smax > 0 && dmax > 0
    ? 0x02
    : smax > 0
    ? 0x06
    : dmax > 0
    ? 0x0a
    : 0;
  if (!type) return p;
  const start = p;
  out[p] = DsrType.PSIZE;
  let sub = type === 0x02 ? 0x03 : type === 0x06 ? 0x01 : 0x02;
  p += 4;
  if (sub & 0x01) {
    out.set(c.subarray(4, 8), p);
    p += 4;
  }
  if (sub & 0x02) {
    out.set(c.subarray(16, 20), p);
    p += 4;
  }
  for (const [bit, o] of [[0x01, 8], [0x02, 20]] as const) {
    if (!(sub & bit)) continue;
    sub |= 0x04;
    let max = 0;
    for (let i = 0; i < 8; i++) if (max < c[o + i]!) max = c[o + i]!;
    let value = 0, w = p;
    for (let i = 0; i < 8; i++) {
      let tmp = c[o + i]!;
      if (tmp) {
        if (max > 15) tmp = Math.trunc((tmp * 15) / max);
        if (!tmp) tmp++;
        if (i & 1) {
          value |= tmp;
          out[w++] = value & 0xff;
        } else value = (tmp << 4) & 0xff;
      } else if (i & 1) {
        value &= 0xf0;
        out[w++] = value;
      } else value = 0;
    }
    p += 4;
  }
  out[start + 1] = sub;
  out[start + 2] = type;
  out[start + 3] = (p - start) >> 2;
  return p;
}

/** Copies src[from..to) to dst[at..] byte by byte (no view allocated). */
function copyBytes(
  dst: Uint8Array,
  at: number,
  src: Uint8Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) dst[at++] = src[i]!;
}

/** Counter width of each metric DSR qualifier. */
const METER_SIZES = [0, 1, 2, 4, 8, 1, 2, 4, 8, 1, 2, 4, 8];

/**
 * Counter `i` of a metric DSR's form of `size` bytes at `b`; 0 past the
 * DSR's `end` (a damaged length), as RecordView reads it.
 */
function meterValue(
  v: DataView,
  b: number,
  end: number,
  size: number,
  i: number,
): number {
  if (b + (i + 1) * size > end) return 0;
  return size === 1
    ? v.getUint8(b + i)
    : size === 2
    ? v.getUint16(b + i * 2)
    : size === 4
    ? v.getUint32(b + i * 4)
    : Number(v.getBigUint64(b + i * 8));
}

function swapBytes(a: Uint8Array, x: number, y: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const t = a[x + i]!;
    a[x + i] = a[y + i]!;
    a[y + i] = t;
  }
}

/** Bytes #loadAgr reads at fixed places: header, times, one stats block. */
const AGR_FIXED = 52;

/** ArgusStatObject in host (little-endian) order: n, 4 floats, fdist. */
function readStats(v: DataView, at: number, s: AgrStats): void {
  s.n = v.getInt32(at, true);
  s.min = v.getFloat32(at + 4, true);
  s.mean = v.getFloat32(at + 8, true);
  s.stdev = v.getFloat32(at + 12, true);
  s.max = v.getFloat32(at + 16, true);
  for (let i = 0; i < 8; i++) s.fdist[i] = v.getUint8(at + 20 + i);
}

function writeStats(v: DataView, at: number, s: AgrStats): void {
  v.setInt32(at, s.n, true);
  v.setFloat32(at + 4, s.min, true);
  v.setFloat32(at + 8, s.mean, true);
  v.setFloat32(at + 12, s.stdev, true);
  v.setFloat32(at + 16, s.max, true);
  for (let i = 0; i < 8; i++) v.setUint8(at + 20 + i, s.fdist[i]!);
}
