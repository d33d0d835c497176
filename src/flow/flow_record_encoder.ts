/**
 * Writes a flow's state as an Argus 3 flow record, straight into a reusable
 * byte buffer (argus ArgusGenerateListRecord + ArgusGenerateRecord +
 * ArgusHtoN). DSRs go in slot order; each is laid out, and byte-ordered,
 * as the real argus 3.0.8.2 writes it (docs/record-format.md; verified by
 * the round-trip and differential tests), quirks included: host-order ICMP
 * and fragment objects, the 4-byte ARP hardware address, the time DSR's
 * minimum that ignores microseconds within a second.
 * @module
 */

import {
  NET_SUBTYPE_RTCP,
  NET_SUBTYPE_RTP,
  RTCP_DSR_WORDS,
  RTP_DSR_WORDS,
  type RtpHeader,
} from "./rtp_state.ts";
import { NET_SUBTYPE_UDT, UDT_DSR_WORDS } from "./udt_state.ts";
import type { UserData } from "./user_data.ts";
import { dsrBit, DsrIndex } from "./dsr_index.ts";
import type { Flow, IcmpObject, OptionalDsrs } from "./flow.ts";
import type { KeyStore } from "./key_store.ts";
import {
  J_ACTIVE,
  J_DST,
  J_IDLE,
  J_SRC,
  type JitterStore,
  T_MAX,
  T_MIN,
  T_N,
  T_SUM,
  T_SUMSQ,
} from "./jitter_store.ts";
import {
  C_ACKDAT,
  C_OPTIONS,
  C_STATE,
  C_STATUS,
  C_SYNACK,
  DST_SIDE,
  lastTime,
  S_ACK,
  S_ACKBYTES,
  S_BYTES,
  S_FLAGS,
  S_RETRANS,
  S_SEQ,
  S_SEQBASE,
  S_STATUS,
  S_WIN,
  S_WINBYTES,
  S_WINNUM,
  S_WINSHIFT,
  SRC_SIDE,
  type TcpStore,
} from "./tcp_store.ts";
import { FlowQual } from "./flow_status.ts";
import { NETWORK_SUBTYPE_FRAG } from "./frag_state.ts";
import { NET_SUBTYPE_ARP } from "./arp_state.ts";
import { NET_SUBTYPE_ESP } from "./esp_state.ts";
import { NET_SUBTYPE_ICMP } from "./icmp_state.ts";
import { TCP_INIT, TCP_PERF, TCP_STATUS } from "./tcp_state.ts";

/** Record header type byte of a flow record: FAR | version 3. */
export const FAR_TYPE = 0x13;
const TIME_QUAL_USEC = 0x18;

/**
 * How much of each record the image keeps: past the unwritten bytes argus
 * can leave (the TCP_INIT window and the app-byte metric's tail sit below
 * offset 170 in the longest records), nothing is read back.
 */
const IMAGE_BYTES = 256;

/** A growable output buffer records are appended to. */
export class RecordBytes {
  buf: Uint8Array;
  view: DataView;
  pos = 0;
  /** Where the record being written starts. */
  recordStart = 0;
  /**
   * argus's per-output record buffer: each record is generated over the
   * previous one, and one field (TCP_INIT's window) is never written.
   */
  readonly image: Uint8Array = new Uint8Array(IMAGE_BYTES);

  constructor(size = 1 << 16) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Appends whole records made elsewhere. */
  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** The bytes written so far. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Forgets the bytes written (the buffer is reused). */
  clear(): void {
    this.pos = 0;
  }

  u8(v: number): void {
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.view.setUint16(this.pos, v & 0xffff);
    this.pos += 2;
  }
  u32(v: number): void {
    this.view.setUint32(this.pos, v >>> 0);
    this.pos += 4;
  }
  u16le(v: number): void {
    this.view.setUint16(this.pos, v & 0xffff, true);
    this.pos += 2;
  }
  u32le(v: number): void {
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  f32(v: number): void {
    this.view.setFloat32(this.pos, v);
    this.pos += 4;
  }
  u64(v: number): void {
    this.view.setBigUint64(this.pos, BigInt(v));
    this.pos += 8;
  }
  zeros(n: number): void {
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }
  /** A DSR header: type, subtype, qualifier, length in words. */
  dsr(type: number, subtype: number, qual: number, words: number): void {
    this.u8(type);
    this.u8(subtype);
    this.u8(qual);
    this.u8(words);
  }
}

const has = (flow: Flow, index: number) => (flow.dsrs & dsrBit(index)) !== 0;

/** A 48-bit MAC address kept as a number, in network order. */
function putAddress48(out: RecordBytes, a: number): void {
  const hi = Math.floor(a / 0x1_0000_0000);
  out.u16(hi);
  out.u32(a - hi * 0x1_0000_0000);
}

/** Seconds and microseconds of a µs timestamp. */
function putTime(out: RecordBytes, t: number): void {
  const sec = Math.floor(t / 1_000_000);
  out.u32(sec);
  out.u32(t - sec * 1_000_000);
}

/** Where a flow's key words and TCP state live (the engine holds both). */
export interface FlowStores {
  readonly keys: KeyStore;
  readonly tcpRows: TcpStore;
  readonly jitterRows: JitterStore;
}

/**
 * Appends the record for `flow` with header cause `cause`.
 * @param stores the engine that tracks the flow
 * @param srcidType transport DSR qualifier (-e id type)
 * @param srcid transport DSR source id value
 * @param appBytes -A: the metric DSR carries application bytes
 */
export function encodeFlowRecord(
  flow: Flow,
  stores: FlowStores,
  cause: number,
  out: RecordBytes,
  srcidType: number,
  srcid: number,
  appBytes = false,
): void {
  out.reserve(1024);
  const start = out.pos;
  out.recordStart = start;
  out.u8(FAR_TYPE);
  out.u8(cause & 0xf0);
  out.u16(0); // length, filled in below

  if (has(flow, DsrIndex.TRANSPORT)) {
    out.dsr(0x01, 0x03, srcidType, 3);
    out.u32(srcid);
    out.u32(flow.seqnum);
  }
  encodeFlowDsr(flow, stores.keys, out);
  if (has(flow, DsrIndex.TIME)) encodeTime(flow, out);
  if (has(flow, DsrIndex.METRIC)) {
    encodeMetric(
      flow,
      out,
      appBytes && (flow.srcAppBytes || flow.dstAppBytes) !== 0,
    );
  }
  if (has(flow, DsrIndex.NETWORK)) {
    encodeNetwork(flow, out, stores.tcpRows.words);
  }
  const opt = flow.opt;
  if (has(flow, DsrIndex.VLAN) && opt !== null) {
    out.dsr(0x40, 0, opt.vlanQual, 2);
    out.u16(opt.vlanSrc);
    out.u16(opt.vlanDst);
  }
  if (has(flow, DsrIndex.MPLS) && opt !== null) {
    const srcLabels = (opt.mplsQual >> 4) & 0x0f;
    const dstLabels = opt.mplsQual & 0x0f;
    const words = 1 + (srcLabels ? 1 : 0) + (dstLabels ? 1 : 0);
    out.dsr(
      0x44,
      (srcLabels ? 1 : 0) | (dstLabels ? 2 : 0),
      opt.mplsQual,
      words,
    );
    if (srcLabels) out.u32(opt.mplsSrc);
    if (dstLabels) out.u32(opt.mplsDst);
  }
  if (has(flow, DsrIndex.JITTER) && flow.jitter >= 0) {
    encodeJitter(stores.jitterRows.words, flow.jitter, out);
  }
  if (has(flow, DsrIndex.IPATTR)) encodeIpAttr(flow, out);
  if (has(flow, DsrIndex.PSIZE) && opt !== null) encodePacketSize(opt, out);
  if (has(flow, DsrIndex.SRCUSERDATA) && flow.srcUser !== null) {
    encodeUserData(flow.srcUser, USER_DATA_SRC, out);
  }
  if (has(flow, DsrIndex.DSTUSERDATA) && flow.dstUser !== null) {
    encodeUserData(flow.dstUser, USER_DATA_DST, out);
  }
  if (has(flow, DsrIndex.MAC) && opt !== null) {
    out.dsr(0x42, 0, opt.macQual, 5);
    putAddress48(out, opt.macFirst);
    putAddress48(out, opt.macSecond);
    out.u16(opt.macType);
    out.u16(0);
  }
  if (has(flow, DsrIndex.ICMP) && opt !== null && opt.mappedIcmp !== null) {
    out.dsr(0x34, 0, opt.mappedIcmpQual, 8);
    const o = opt.mappedIcmp;
    out.u8(o.type);
    out.u8(o.code);
    out.u16(o.iseq);
    out.u32(o.osrcaddr);
    out.u32(o.odstaddr);
    out.u32(o.isrcaddr);
    out.u32(o.idstaddr);
    out.u32(o.igwaddr);
    // argus sizes this DSR one word past its structure.
    out.u32(0);
  }
  if (has(flow, DsrIndex.ENCAPS)) {
    out.dsr(0x20, 0, flow.encapsQual, 3);
    out.u32(flow.encapsSrc);
    out.u32(flow.encapsDst);
  }
  out.view.setUint16(start + 2, (out.pos - start) >> 2);
  // Only the head matters to the image (user data can make records longer).
  // A loop, not image.set(subarray): no view object per record.
  const kept = Math.min(out.pos - start, out.image.length);
  const image = out.image, buf = out.buf;
  for (let i = 0; i < kept; i++) image[i] = buf[start + i]!;
}

function encodeFlowDsr(flow: Flow, keys: KeyStore, out: RecordBytes): void {
  const at = flow.keyOffset * 4;
  const words = flow.keySize;
  if ((flow.keySubtype & 0x3f) === 0x06) return encodeArpKey(flow, keys, out);
  out.dsr(0x02, flow.keySubtype, flow.keyQual, words + 1);
  // Copied by hand: a key is a few words, a subarray would be garbage.
  const src = keys.bytes, buf = out.buf, pos = out.pos, n = words * 4;
  for (let i = 0; i < n; i++) buf[pos + i] = src[at + i]!;
  out.pos += n;
}

/** ARP and RARP keys are written packed, hardware addresses cut to fit. */
function encodeArpKey(flow: Flow, keys: KeyStore, out: RecordBytes): void {
  const at = flow.keyOffset * 4;
  const key = keys.bytes.subarray(at, at + flow.keySize * 4);
  const hln = key[4] ?? 0;
  let words;
  if ((flow.keyQual & 0x1f) === FlowQual.RARP) {
    words = 3 + ((hln * 2 + 3) >> 2);
    out.dsr(0x02, flow.keySubtype, flow.keyQual, words + 1);
    out.buf.set(key.subarray(0, 12), out.pos);
    out.buf.set(key.subarray(12, 12 + hln), out.pos + 12);
    out.buf.set(key.subarray(44, 44 + hln), out.pos + 12 + hln);
    out.buf.fill(0, out.pos + 12 + 2 * hln, out.pos + words * 4);
  } else {
    words = 3 + ((hln + 3) >> 2);
    out.dsr(0x02, flow.keySubtype, flow.keyQual, words + 1);
    out.buf.set(key.subarray(0, words * 4), out.pos);
  }
  out.pos += words * 4;
}

/** The earliest (argus's seconds-only comparison) and latest of some times. */
class TimeSpan {
  min = 0;
  max = 0;
  #minSec = 0xefffffff;
  reset(): void {
    this.min = this.max = 0;
    this.#minSec = 0xefffffff;
  }
  add(t: number): void {
    if (t === 0) return;
    if (t > this.max) this.max = t;
    const sec = Math.floor(t / 1_000_000);
    if (sec < this.#minSec) {
      this.#minSec = sec;
      this.min = t;
    }
  }
}
const timeSpan = new TimeSpan();

function encodeTime(flow: Flow, out: RecordBytes): void {
  // argus's minimum compares seconds only: within one second the first
  // candidate in src-start, src-end, dst-start, dst-end order wins.
  timeSpan.reset();
  timeSpan.add(flow.srcStart);
  timeSpan.add(flow.srcEnd);
  timeSpan.add(flow.dstStart);
  timeSpan.add(flow.dstEnd);
  const tmin = timeSpan.min, tmax = timeSpan.max;
  const range = tmax !== tmin;
  out.dsr(0x03, flow.timeSubtype & ~0x78, TIME_QUAL_USEC, range ? 5 : 3);
  putTime(out, tmin);
  if (range) putTime(out, tmax);
}

/**
 * The metric DSR in the form argus picks (ArgusGenerateRecord): both
 * directions in 8, 16, 32 or 64 bits (the bytes decide; 8 bits needs the
 * packets to fit too), one direction in 16, 32 or 64. With `app` (-A, and
 * application bytes to report) each direction carries them as a third
 * counter (subtype 0x04); argus 3.0.8 has no 64-bit form of that, so those
 * keep the plain one, and the 6-byte forms end with two bytes it never
 * writes (the previous record's, from the image).
 */
function encodeMetric(flow: Flow, out: RecordBytes, app: boolean): void {
  const sp = flow.srcPkts, sb = flow.srcBytes;
  const dp = flow.dstPkts, db = flow.dstBytes;
  const B = 0xff, S = 0xffff, I = 0xffffffff;
  const both = sp !== 0 && dp !== 0;
  // Qualifiers: 0x01-0x04 both ways, 0x06-0x08 source, 0x0a-0x0c
  // destination, by counter width.
  let width: number, qual: number;
  if (both) {
    width = sp <= B && dp <= B && sb <= B && db <= B
      ? 1
      : sb <= S && db <= S
      ? 2
      : sb <= I && db <= I
      ? 4
      : 8;
    qual = width === 1 ? 0x01 : width === 2 ? 0x02 : width === 4 ? 0x03 : 0x04;
  } else {
    const bytes = sp !== 0 ? sb : db;
    width = bytes <= S ? 2 : bytes <= I ? 4 : 8;
    qual = (sp !== 0 ? 0x06 : 0x0a) + (width === 2 ? 0 : width === 4 ? 1 : 2);
  }
  if (width === 8) app = false;
  const per = app ? 3 : 2;
  const size = (both ? 2 * per : per) * width;
  const words = (size + 3) >> 2;
  out.dsr(0x10, app ? 0x04 : 0x01, qual, 1 + words);
  if (both || sp !== 0) {
    putCounter(out, sp, width);
    putCounter(out, sb, width);
    if (app) putCounter(out, flow.srcAppBytes, width);
  }
  if (both || sp === 0) {
    putCounter(out, dp, width);
    putCounter(out, db, width);
    if (app) putCounter(out, flow.dstAppBytes, width);
  }
  staleBytes(out, words * 4 - size);
}

function putCounter(out: RecordBytes, v: number, width: number): void {
  switch (width) {
    case 1:
      out.u8(v);
      return;
    case 2:
      out.u16(v);
      return;
    case 4:
      out.u32(v);
      return;
  }
  out.u64(v);
}

/** `n` bytes argus leaves unwritten: what the previous record had there. */
function staleBytes(out: RecordBytes, n: number): void {
  const at = out.pos - out.recordStart;
  for (let i = 0; i < n; i++) out.u8(out.image[at + i] ?? 0);
}

function encodeNetwork(flow: Flow, out: RecordBytes, w: Uint32Array): void {
  switch (flow.netSubtype) {
    case TCP_INIT: {
      const tcp = flow.tcp, src = tcp + SRC_SIDE;
      out.dsr(0x30, TCP_INIT, flow.netQual, 5);
      out.u32(w[tcp + C_STATUS]!);
      out.u32(w[src + S_SEQBASE]!);
      out.u32(w[tcp + C_OPTIONS]!);
      // argus never fills this window: it keeps what the previous record
      // left at this spot of its output buffer, byte-swapped once more.
      const at = out.pos - out.recordStart;
      out.u16(((out.image[at + 1] ?? 0) << 8) | (out.image[at] ?? 0));
      out.u8(w[src + S_FLAGS]!);
      out.u8(w[src + S_WINSHIFT]!);
      return;
    }
    case TCP_STATUS:
    case TCP_PERF: {
      const tcp = flow.tcp, src = tcp + SRC_SIDE, dst = tcp + DST_SIDE;
      out.dsr(0x30, flow.netSubtype, 0, TCP_PERF_WORDS);
      out.u32(
        foldTcpStatus(
          w[tcp + C_STATUS]!,
          w[src + S_STATUS]!,
          w[dst + S_STATUS]!,
        ),
      );
      out.u32(w[tcp + C_STATE]!);
      out.u32(w[tcp + C_OPTIONS]!);
      out.u32(w[tcp + C_SYNACK]!);
      out.u32(w[tcp + C_ACKDAT]!);
      tcpSide(out, w, src);
      tcpSide(out, w, dst);
      return;
    }
    case NET_SUBTYPE_ICMP: {
      // argus writes this object in host (little-endian) order.
      const o: IcmpObject = flow.icmp!;
      out.dsr(0x30, NET_SUBTYPE_ICMP, flow.netQual, 7);
      out.u8(o.type);
      out.u8(o.code);
      if ((flow.keyQual & 0x1f) === FlowQual.IPV6) {
        out.u16le(o.cksum);
        out.zeros(20);
      } else {
        out.u16le(o.iseq);
        out.u32le(o.osrcaddr);
        out.u32le(o.odstaddr);
        out.u32le(o.isrcaddr);
        out.u32le(o.idstaddr);
        out.u32le(o.igwaddr);
      }
      return;
    }
    case NET_SUBTYPE_ESP: {
      const e = flow.esp!;
      out.dsr(0x30, NET_SUBTYPE_ESP, flow.netQual, 5);
      out.u32(e.status);
      out.u32(e.spi);
      out.u32(e.lastseq);
      out.u32(e.lostseq);
      return;
    }
    case NETWORK_SUBTYPE_FRAG: {
      // Host-order struct, pointers included (we write them as null).
      const f = flow.frag;
      out.dsr(0x30, NETWORK_SUBTYPE_FRAG, flow.netQual, 14);
      out.u32le(f?.fragnum ?? 0);
      out.u32le(f?.fragId ?? 0);
      out.u32le(f?.startbytes ?? 0);
      out.u32le(f?.bytes ?? 0);
      out.u32le(f?.totbytes ?? 0);
      out.u16le(f?.totlen ?? 0);
      out.u16le(f?.currlen ?? 0);
      out.u16le(f?.maxfraglen ?? 0);
      out.u16le(0);
      out.zeros(16);
      const first = f?.offsets[0];
      out.u32le(first?.start ?? 0);
      out.u32le(first?.end ?? 0);
      return;
    }
    case NET_SUBTYPE_ARP: {
      out.dsr(0x30, NET_SUBTYPE_ARP, flow.netQual, 44);
      const r = flow.arpResponder;
      for (let i = 0; i < 6; i++) out.u8(r?.[i] ?? 0);
      out.zeros(43 * 4 - 6);
      return;
    }
    case NET_SUBTYPE_RTP: {
      const o = flow.rtp!;
      out.dsr(0x30, NET_SUBTYPE_RTP, flow.netQual, RTP_DSR_WORDS);
      out.u32(o.state);
      rtpHeader(out, o.src);
      rtpHeader(out, o.dst);
      out.u16(o.sdrop);
      out.u16(o.ddrop);
      out.zeros(4);
      return;
    }
    case NET_SUBTYPE_RTCP: {
      const o = flow.rtcp!;
      out.dsr(0x30, NET_SUBTYPE_RTCP, flow.netQual, RTCP_DSR_WORDS);
      // argus "converts" these raw network-order bytes to network order.
      rtcpHeader(out, o.src);
      rtcpHeader(out, o.dst);
      out.zeros(4);
      return;
    }
    case NET_SUBTYPE_UDT: {
      const o = flow.udt!;
      out.dsr(0x30, NET_SUBTYPE_UDT, flow.netQual, UDT_DSR_WORDS);
      out.u32le(0);
      out.u32le(o.status);
      for (const b of o.hshake) out.u8(b);
      const m = o.src;
      out.u32le(m.lastSec);
      out.u32le(m.lastUsec);
      out.u32le(m.seq);
      out.u32le(m.tstamp);
      out.u32le(m.ack);
      out.u32le(m.rtt);
      out.u32le(m.variance);
      out.u32le(m.bsize);
      out.u32le(m.rate);
      out.u32le(m.lcap);
      out.u32le(m.solo);
      out.u32le(m.first);
      out.u32le(m.middle);
      out.u32le(m.last);
      out.u32le(m.drops);
      out.u32le(m.retrans);
      out.u32le(m.nacked);
      // argus never fills the destination half.
      out.zeros(17 * 4);
      return;
    }
    default:
      out.dsr(0x30, flow.netSubtype, flow.netQual, 1);
  }
}

/** A struct rtphdr: two raw bytes, then the fields in network order. */
function rtpHeader(out: RecordBytes, h: RtpHeader): void {
  out.u8(h.b0);
  out.u8(h.b1);
  out.u16(h.seq);
  out.u32(h.time);
  out.u32(h.ssrc);
}

/** A raw struct rtcphdr with its length and SSRC byte-swapped. */
function rtcpHeader(out: RecordBytes, h: Uint8Array): void {
  out.u8(h[0]!);
  out.u8(h[1]!);
  out.u8(h[3]!);
  out.u8(h[2]!);
  for (let i = 7; i >= 4; i--) out.u8(h[i]!);
}

/** Words of a TCP_PERF network DSR (argus 3.0.8.2: no maxseg field). */
const TCP_PERF_WORDS = 30;

function tcpSide(out: RecordBytes, w: Uint32Array, s: number): void {
  putTime(out, lastTime(w, s));
  out.u32(w[s + S_STATUS]!);
  out.u32(w[s + S_SEQBASE]!);
  out.u32(w[s + S_SEQ]!);
  out.u32(w[s + S_ACK]!);
  out.u32(w[s + S_WINNUM]!);
  out.u32(w[s + S_BYTES]!);
  out.u32(w[s + S_RETRANS]!);
  out.u32(w[s + S_ACKBYTES]!);
  out.u32(w[s + S_WINBYTES]!);
  out.u16(w[s + S_WIN]!);
  out.u8(w[s + S_FLAGS]!);
  out.u8(w[s + S_WINSHIFT]!);
}

/** Per-direction TCP conditions folded into the connection status (ArgusTCPFlowRecord). */
function foldTcpStatus(status: number, src: number, dst: number): number {
  let s = status & ~(0x3000 | 0x300 | 0xc00 | 0x30000 | 0xc0000);
  if (src & 0x3000) s |= 0x1000;
  if (dst & 0x3000) s |= 0x2000;
  if (src & 0x300) s |= 0x100;
  if (dst & 0x300) s |= 0x200;
  if (src & 0xc00) s |= 0x400;
  if (dst & 0xc00) s |= 0x800;
  if (src & 0x30000) s |= 0x10000;
  if (dst & 0x30000) s |= 0x20000;
  if (src & 0xc0000) s |= 0x40000;
  if (dst & 0xc0000) s |= 0x80000;
  return s >>> 0;
}

function encodeIpAttr(flow: Flow, out: RecordBytes): void {
  const q = flow.attrQual;
  const words = 1 + (q & 1 ? 1 : 0) + (q & 4 ? 1 : 0) + (q & 2 ? 1 : 0) +
    (q & 8 ? 1 : 0);
  out.dsr(0x48, 0, q, words);
  // The IP id is written byte-swapped (argus swaps a raw network value).
  if (q & 1) {
    out.u8(flow.srcTtl);
    out.u8(flow.srcTos);
    out.u16le(flow.srcIpId);
  }
  if (q & 4) out.u32(flow.srcOptions);
  if (q & 2) {
    out.u8(flow.dstTtl);
    out.u8(flow.dstTos);
    out.u16le(flow.dstIpId);
  }
  if (q & 8) out.u32(flow.dstOptions);
}

/**
 * The jitter DSR (-J): a block per statistic with gaps in it, as argus's
 * ArgusGenerateRecord fills them (n, then min, mean, deviation, max as
 * XDR floats; the deviation from an integer mean square, NaN as x86
 * gives it when rounding makes it negative). No gaps, no DSR.
 */
function encodeJitter(w: Float64Array, row: number, out: RecordBytes): void {
  const a = row + J_SRC + J_ACTIVE, b = row + J_SRC + J_IDLE;
  const c = row + J_DST + J_ACTIVE, d = row + J_DST + J_IDLE;
  const an = w[a + T_N]!, bn = w[b + T_N]!, cn = w[c + T_N]!, dn = w[d + T_N]!;
  const qual = (an ? 1 : 0) | (bn ? 2 : 0) | (cn ? 4 : 0) | (dn ? 8 : 0);
  if (qual === 0) return;
  const blocks = (an ? 1 : 0) + (bn ? 1 : 0) + (cn ? 1 : 0) + (dn ? 1 : 0);
  out.dsr(0x46, 0, qual, 1 + 5 * blocks);
  if (an) jitterBlock(w, a, out);
  if (bn) jitterBlock(w, b, out);
  if (cn) jitterBlock(w, c, out);
  if (dn) jitterBlock(w, d, out);
}

/** x86's default NaN, which argus writes for a negative variance. */
const X86_NAN = 0xffc00000;

function jitterBlock(w: Float64Array, s: number, out: RecordBytes): void {
  const n = w[s + T_N]!;
  out.u32(n);
  out.f32(w[s + T_MIN]!);
  const mean = Math.fround(w[s + T_SUM]! / n);
  out.f32(mean);
  const variance = Math.trunc(w[s + T_SUMSQ]! / n) - mean * mean;
  if (variance < 0) out.u32(X86_NAN);
  else out.f32(Math.sqrt(variance));
  out.f32(w[s + T_MAX]!);
}

/** The packet size DSR (-Z): 16-bit min/max of the sides that have one. */
function encodePacketSize(opt: OptionalDsrs, out: RecordBytes): void {
  const src = opt.srcSizeMax > 0, dst = opt.dstSizeMax > 0;
  if (src && dst) {
    out.dsr(0x12, 0, 0x02, 3);
    out.u16(opt.srcSizeMin);
    out.u16(opt.srcSizeMax);
    out.u16(opt.dstSizeMin);
    out.u16(opt.dstSizeMax);
  } else if (src) {
    out.dsr(0x12, 0, 0x06, 2);
    out.u16(opt.srcSizeMin);
    out.u16(opt.srcSizeMax);
  } else if (dst) {
    out.dsr(0x12, 0, 0x0a, 2);
    out.u16(opt.dstSizeMin);
    out.u16(opt.dstSizeMax);
  }
}

/** Data DSR subtypes: 16-bit length, and which direction's bytes. */
const USER_DATA_SRC = 0x80 | 0x10;
const USER_DATA_DST = 0x80 | 0x20;

/**
 * A user data DSR (-U): type 0x50 with a 16-bit length in words, then
 * size and count, then the captured bytes padded with zeros to a word.
 */
function encodeUserData(u: UserData, subtype: number, out: RecordBytes): void {
  const words = 2 + ((u.count + 3) >> 2);
  out.u8(0x50);
  out.u8(subtype);
  out.u16(words);
  out.u16(u.size);
  out.u16(u.count);
  const pad = (words - 2) * 4;
  // Room for the bytes and for the fixed-size DSRs still to come.
  out.reserve(pad + 512);
  out.buf.set(u.bytes.subarray(0, u.count), out.pos);
  out.buf.fill(0, out.pos + u.count, out.pos + pad);
  out.pos += pad;
}
