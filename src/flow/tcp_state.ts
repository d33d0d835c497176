/**
 * The argus 3.0.8 TCP model (ArgusTcp.c): connection state, per-direction
 * sequence tracking, retransmission/out-of-order/window-shut detection and
 * the SYN-after-close restart that ends one record and starts the next.
 * Values and their quirks (e.g. the unsigned comparisons, the TCP timeout
 * that always returns to 60 s) follow the real argus; the State and Flgs
 * columns ra prints are derived from these bits.
 * @module
 */

import type { Flow } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";
import { dsrBit, DsrIndex } from "./dsr_index.ts";
import { Cause, TcpOption, TcpState, TcpStatus } from "./flow_status.ts";
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
  setLastTime,
  SRC_SIDE,
} from "./tcp_store.ts";

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PUSH = 0x08;
const ACK = 0x10;
const URG = 0x20;
const ECE = 0x40;
const CWR = 0x80;

/** Network DSR subtypes of TCP flows. */
export const TCP_INIT = 0x03;
export const TCP_STATUS = 0x04;
export const TCP_PERF = 0x05;

/** The TCP header fields argus works with, host order. */
class TcpHeader {
  seq = 0;
  ack = 0;
  win = 0;
  flags = 0;
}
const hdr = new TcpHeader();

const u32 = (x: number) => x >>> 0;

/**
 * Updates the flow's TCP state with the packet at `ctx.up`.
 * @returns the record state the packet leaves (START after a restart)
 */
export function updateTcpState(
  m: FlowEngine,
  flow: Flow,
  state: number,
): number {
  const ctx = m.ctx;
  const th = ctx.up;
  if (!ctx.captured(th, 20)) return state;
  const tcplen = ctx.length;
  let tcphlen = (ctx.u8(th + 12) >> 4) * 4;
  const tcpdatalen = tcplen - tcphlen;
  const flags = ctx.u8(th + 13);
  hdr.seq = ctx.u32(th + 4);
  hdr.ack = ctx.u32(th + 8);
  hdr.win = ctx.u16(th + 14);
  hdr.flags = flags;
  const now = m.now;

  if (state === Cause.START) {
    flow.netSubtype = TCP_INIT;
    flow.netQual = 0;
    flow.dsrs |= dsrBit(DsrIndex.NETWORK);
    let tcp = flow.tcp;
    if (tcp < 0) tcp = flow.tcp = m.tcpRows.alloc();
    else m.tcpRows.clear(tcp);
    const w = m.tcpRows.words;
    ctx.length = tcpdatalen;
    ctx.up = th + tcphlen;
    const src = tcp + (m.thisDir ? SRC_SIDE : DST_SIDE);
    const dst = tcp + (m.thisDir ? DST_SIDE : SRC_SIDE);
    if ((tcphlen -= 20) > 0) parseTcpOptions(m, th, tcphlen, tcp, src);
    if (flags & RST) {
      w[tcp + C_STATUS]! |= TcpStatus.RESET;
      w[src + S_STATUS]! |= TcpStatus.RESET;
      w[tcp + C_STATE] = TcpState.LISTEN;
      w[src + S_BYTES] = u32(w[src + S_BYTES]! + ctx.length);
      w[src + S_FLAGS]! |= flags;
      if (hdr.seq) {
        w[src + S_SEQBASE] = u32(hdr.seq - 1);
        w[src + S_SEQ] = u32(hdr.seq + ctx.length);
      } else {
        w[src + S_SEQBASE] = u32(hdr.ack - 1);
        w[src + S_SEQ] = u32(hdr.ack - 1);
      }
      w[dst + S_ACK] = u32(hdr.ack - 1);
      setLastTime(w, src, now);
      return state;
    }
    switch (flags & (SYN | ACK | FIN | PUSH | URG)) {
      case SYN:
        w[tcp + C_STATUS]! |= TcpStatus.SAW_SYN;
        w[tcp + C_STATE] = TcpState.SYN_SENT;
        w[src + S_BYTES] = u32(w[src + S_BYTES]! + ctx.length);
        w[src + S_SEQBASE] = hdr.seq;
        w[src + S_SEQ] = hdr.seq;
        w[src + S_WIN] = hdr.win;
        w[src + S_FLAGS]! |= flags;
        if ((flags & (ECE | CWR)) === (ECE | CWR)) {
          w[tcp + C_OPTIONS] = u32(w[tcp + C_OPTIONS]! | TcpOption.SRC_ECN);
        }
        break;
      case SYN | ACK:
        w[tcp + C_STATUS]! |= TcpStatus.SAW_SYN_SENT;
        w[tcp + C_STATE] = TcpState.SYN_RECEIVED;
        w[src + S_BYTES] = u32(w[src + S_BYTES]! + ctx.length);
        w[src + S_SEQBASE] = hdr.seq;
        w[src + S_SEQ] = hdr.seq;
        w[src + S_WIN] = hdr.win;
        w[src + S_FLAGS]! |= flags;
        w[dst + S_ACK] = u32(hdr.ack - 1);
        if ((flags & (ECE | CWR)) === ECE) {
          w[tcp + C_OPTIONS] = u32(w[tcp + C_OPTIONS]! | TcpOption.DST_ECN);
        }
        break;
      case ACK:
      case PUSH | ACK:
      case URG | ACK:
      case PUSH | URG | ACK:
      case PUSH:
      case URG:
      case PUSH | URG:
        if (flags & ACK) w[dst + S_ACK] = u32(hdr.ack - 1);
        w[tcp + C_STATUS]! |= TcpStatus.CON_ESTABLISHED;
        w[tcp + C_STATE] = TcpState.ESTABLISHED;
        dataStart(w, src, flags, ctx.length);
        w[src + S_WIN] = hdr.win;
        break;
      case FIN:
      case FIN | ACK:
        w[tcp + C_STATUS]! |= TcpStatus.FIN;
        w[tcp + C_STATE] = TcpState.FIN_WAIT_1;
        dataStart(w, src, flags, ctx.length);
        w[src + S_WIN] = hdr.win;
        break;
      default:
        // argus 3.0.8 starts odd flag combinations in CLOSING.
        w[tcp + C_STATUS]! |= TcpStatus.CON_ESTABLISHED;
        w[tcp + C_STATE] = TcpState.CLOSING;
        dataStart(w, src, flags, ctx.length);
        w[src + S_WIN] = hdr.win;
        break;
    }
    setLastTime(w, src, now);
    return state;
  }

  let tcp = flow.tcp;
  if (tcp < 0) tcp = flow.tcp = m.tcpRows.alloc();
  const w = m.tcpRows.words;
  const src = tcp + (m.thisDir ? SRC_SIDE : DST_SIDE);
  if (w[tcp + C_STATE]! === TcpState.LISTEN) {
    if (flags & SYN) {
      m.sendFlowRecord(flow, Cause.STOP);
      m.initializeTcp(flow);
      flow.queue?.remove(flow);
      m.statusQueue.push(flow, now);
      state = Cause.START;
    }
    // argus keeps its pointer to the side chosen before the restart.
    w[src + S_FLAGS]! |= flags;
    setLastTime(w, src, now);
    return state;
  }

  flow.netSubtype = TCP_PERF;
  ctx.length = tcpdatalen;
  ctx.up = th + tcphlen;
  // argus compares (int - size_t): any header length but 20 parses options.
  if (tcphlen !== 20) parseTcpOptions(m, th, tcphlen - 20, tcp, src);
  w[src + S_FLAGS]! |= flags;
  if (
    (w[tcp + C_OPTIONS]! & (TcpOption.SRC_ECN | TcpOption.DST_ECN)) &&
    (flags & ECE)
  ) {
    if (flags & ACK) {
      w[tcp + C_STATUS]! |= m.thisDir
        ? TcpStatus.SRC_CONGESTED
        : TcpStatus.DST_CONGESTED;
    }
  }
  if (updateSequence(m, flow, tcp)) {
    switch (updateStateMachine(m, tcp)) {
      case TcpState.LISTEN:
        if (flags === SYN) {
          w[src + S_BYTES] = u32(w[src + S_BYTES]! - ctx.length);
          ctx.up -= tcphlen;
          ctx.length = tcplen;
          flow.queue?.remove(flow);
          m.sendFlowRecord(flow, Cause.STOP);
          m.initializeTcp(flow);
          m.statusQueue.push(flow, now);
          return state;
        }
        break;
      case TcpState.CLOSED:
      case TcpState.TIME_WAIT:
        if (!(w[tcp + C_STATUS]! & TcpStatus.RESET)) {
          w[tcp + C_STATUS]! |= TcpStatus.NORMAL_CLOSE;
        }
        break;
    }
  }
  setLastTime(w, src, now);
  return state;
}

function dataStart(
  w: Uint32Array,
  src: number,
  flags: number,
  len: number,
): void {
  w[src + S_BYTES] = u32(w[src + S_BYTES]! + len);
  w[src + S_FLAGS]! |= flags;
  w[src + S_SEQBASE] = u32(hdr.seq - 1);
  w[src + S_SEQ] = u32(hdr.seq + len);
}

/** ArgusUpdateTCPStateMachine; returns the state (LISTEN is not stored). */
function updateStateMachine(m: FlowEngine, tcp: number): number {
  const w = m.tcpRows.words;
  const flags = hdr.flags;
  let state = w[tcp + C_STATE]!;
  const len = m.ctx.length;
  const src = tcp + (m.thisDir ? SRC_SIDE : DST_SIDE);
  const dst = tcp + (m.thisDir ? DST_SIDE : SRC_SIDE);

  if (flags & RST) {
    w[tcp + C_STATUS]! |= TcpStatus.RESET;
    w[src + S_STATUS]! |= TcpStatus.RESET;
    if (state === TcpState.SYN_SENT) {
      state = w[dst + S_SEQ]! === w[src + S_ACK]!
        ? TcpState.LISTEN
        : TcpState.CLOSING;
    } else {
      const window = u32(
        w[src + S_ACK]! + (w[src + S_WIN]! >>> w[src + S_WINSHIFT]!),
      );
      state = hdr.seq >= w[src + S_ACK]! && hdr.seq < window
        ? TcpState.CLOSED
        : TcpState.CLOSING;
    }
  } else {
    switch (state) {
      case TcpState.LISTEN:
      case TcpState.SYN_SENT:
        if (flags === SYN) {
          w[src + S_STATUS]! |= TcpStatus.PKTS_RETRANS;
          w[src + S_RETRANS]!++;
        } else if (flags === (SYN | ACK)) {
          if (w[src + S_STATUS]! & TcpStatus.SAW_SYN) {
            state = TcpState.LISTEN;
            w[tcp + C_STATUS]! |= TcpStatus.SAW_SYN_SENT;
            w[src + S_STATUS]! |= TcpStatus.SAW_SYN_SENT;
          } else {
            state = TcpState.SYN_RECEIVED;
            w[tcp + C_STATUS]! |= TcpStatus.SAW_SYN_SENT;
            w[src + S_STATUS]! |= TcpStatus.SAW_SYN_SENT;
            if (w[dst + S_SEQ]! === w[src + S_ACK]!) {
              w[tcp + C_SYNACK] = u32(Math.abs(m.now - lastTime(w, dst)));
            }
          }
        } else if (flags & FIN) {
          state = TcpState.FIN_WAIT_1;
          w[tcp + C_STATUS]! |= TcpStatus.FIN;
          w[src + S_STATUS]! |= TcpStatus.FIN;
        } else if (flags & ACK) {
          state = TcpState.ESTABLISHED;
          w[tcp + C_STATUS]! |= TcpStatus.CON_ESTABLISHED;
          w[src + S_STATUS]! |= TcpStatus.CON_ESTABLISHED;
        }
        break;
      case TcpState.SYN_RECEIVED:
        if (flags & FIN) {
          state = TcpState.FIN_WAIT_1;
          w[tcp + C_STATUS]! |= TcpStatus.FIN;
          w[src + S_STATUS]! |= TcpStatus.FIN;
        } else if (!(flags & SYN)) {
          if (flags & ACK) {
            state = TcpState.ESTABLISHED;
            w[tcp + C_STATUS]! |= TcpStatus.CON_ESTABLISHED;
            w[src + S_STATUS]! |= TcpStatus.CON_ESTABLISHED;
            if (w[src + S_SEQ]! === w[dst + S_ACK]!) {
              w[tcp + C_ACKDAT] = u32(Math.abs(m.now - lastTime(w, dst)));
            }
          }
        } else {
          w[src + S_STATUS]! |= TcpStatus.PKTS_RETRANS;
          w[src + S_RETRANS]!++;
        }
        break;
      case TcpState.ESTABLISHED:
        if (flags & FIN) {
          state = TcpState.FIN_WAIT_1;
          w[tcp + C_STATUS]! |= TcpStatus.FIN;
          w[src + S_STATUS]! |= TcpStatus.FIN;
        } else if (flags & SYN) {
          if (flags & ACK) {
            w[tcp + C_STATUS]! |= TcpStatus.SAW_SYN_SENT |
              TcpStatus.CON_ESTABLISHED;
          }
          w[src + S_STATUS]! |= TcpStatus.PKTS_RETRANS;
          w[src + S_RETRANS]!++;
        }
        break;
      case TcpState.CLOSE_WAIT:
      case TcpState.FIN_WAIT_1:
      case TcpState.LAST_ACK:
      case TcpState.FIN_WAIT_2:
        if (
          (state === TcpState.CLOSE_WAIT || state === TcpState.FIN_WAIT_1) &&
          (flags & SYN) && !(flags & ACK)
        ) {
          state = TcpState.LISTEN;
          break;
        }
        if (flags & FIN) {
          if (!(flags & ACK)) {
            if (w[dst + S_STATUS]! & TcpStatus.FIN_ACK) {
              w[src + S_STATUS]! |= TcpStatus.PKTS_RETRANS;
              w[src + S_RETRANS]!++;
            }
          } else {
            w[tcp + C_STATUS]! |= TcpStatus.FIN;
            w[src + S_STATUS]! |= TcpStatus.FIN;
          }
        }
        if ((flags & ACK) && !len) {
          if (
            (w[dst + S_STATUS]! & TcpStatus.FIN) &&
            w[dst + S_SEQ]! === w[src + S_ACK]!
          ) {
            state = TcpState.FIN_WAIT_2;
            w[tcp + C_STATUS]! |= TcpStatus.FIN_ACK;
            w[dst + S_STATUS]! |= TcpStatus.FIN_ACK;
          }
        }
        break;
      case TcpState.CLOSING:
      case TcpState.TIME_WAIT:
        if ((flags & SYN) && !(flags & ACK)) state = TcpState.LISTEN;
        else if (
          (flags & ACK) && w[src + S_SEQ]! === w[src + S_ACK]! &&
          w[dst + S_SEQ]! === w[src + S_ACK]!
        ) {
          state = TcpState.CLOSED;
        }
        break;
      case TcpState.CLOSED:
        if ((flags & SYN) && !(flags & ACK)) state = TcpState.LISTEN;
        break;
    }
  }
  if (state !== TcpState.LISTEN) w[tcp + C_STATE] = state;
  return state;
}

/** The IP id of the packet as argus holds it: raw bytes read little-endian. */
function rawIpId(v: number): number {
  return ((v & 0xff) << 8) | (v >>> 8);
}

/** ArgusUpdateTCPSequence; returns false for a tracked duplicate. */
function updateSequence(m: FlowEngine, flow: Flow, tcp: number): boolean {
  const w = m.tcpRows.words;
  const flags = hdr.flags;
  const len = m.ctx.length;
  const seq = hdr.seq;
  const newseq = u32(seq + len);
  const src = tcp + (m.thisDir ? SRC_SIDE : DST_SIDE);
  const dst = tcp + (m.thisDir ? DST_SIDE : SRC_SIDE);
  const haveAttr = (flow.attrQual & (m.thisDir ? 0x01 : 0x02)) !== 0;
  const ipid = haveAttr ? rawIpId(m.thisDir ? flow.srcIpId : flow.dstIpId) : 0;

  if (flags === SYN) return true;
  m.inProtocol = true;
  if (!hdr.win && !(flags & (FIN | RST))) {
    w[src + S_STATUS]! |= TcpStatus.WINDOW_SHUT;
    m.inProtocol = false;
  } else if (!(flags & (FIN | RST))) {
    w[src + S_WIN] = hdr.win;
  }
  if (len && w[dst + S_WIN]! !== 0) {
    w[src + S_BYTES] = u32(w[src + S_BYTES]! + len);
    if (w[src + S_WINBYTES]! === 0) m.inProtocol = false;
    if (w[src + S_FLAGS]! & FIN) {
      if (seq < w[src + S_SEQ]!) {
        w[src + S_RETRANS]!++;
        w[src + S_STATUS]! |= TcpStatus.PKTS_RETRANS;
      } else if (!(flags & FIN)) {
        w[src + S_STATUS]! |= TcpStatus.OUTOFORDER;
      }
    }
    if (!(flags & SYN)) w[src + S_WINBYTES] = u32(w[src + S_WINBYTES]! + len);
  } else {
    m.inProtocol = false;
  }

  if (newseq < seq) {
    // Sequence space wrapped: ackbytes keeps the bytes before the wrap.
    w[src + S_ACKBYTES] = u32(
      w[src + S_ACKBYTES]! + u32(w[src + S_SEQ]! - w[src + S_SEQBASE]!),
    );
    w[src + S_SEQBASE] = newseq;
    w[src + S_SEQ] = newseq;
  } else if (!w[src + S_SEQBASE]!) {
    w[src + S_SEQBASE] = seq;
    w[src + S_SEQ] = newseq;
  } else if (len) {
    if (w[dst + S_WIN]! !== 0) {
      if (seq < w[dst + S_ACK]!) {
        if (
          u32(w[dst + S_ACK]! - seq) <
            (w[src + S_WIN]! >>> w[src + S_WINSHIFT]!)
        ) {
          w[src + S_RETRANS]!++;
          w[src + S_STATUS]! |= TcpStatus.PKTS_RETRANS;
          w[src + S_WINBYTES] = u32(w[src + S_WINBYTES]! - len);
          m.inProtocol = false;
        }
      } else {
        const maxseq = newseq > w[src + S_SEQ]! ? newseq : w[src + S_SEQ]!;
        if (w[src + S_WIN]!) {
          const last = m.thisDir ? flow.sipid : flow.dipid;
          const dipid = ipid - last;
          if (last && dipid < 0 && dipid > -5000) {
            w[src + S_STATUS]! |= TcpStatus.OUTOFORDER;
          } else if (
            w[src + S_WINBYTES]! > u32(u32(maxseq - 1) - w[dst + S_ACK]!)
          ) {
            w[src + S_RETRANS]!++;
            w[src + S_STATUS]! |= TcpStatus.PKTS_RETRANS;
            w[src + S_WINBYTES] = u32(w[src + S_WINBYTES]! - len);
            m.inProtocol = false;
          } else if (newseq < w[src + S_SEQ]!) {
            if (seq === u32(w[dst + S_ACK]! + 1)) {
              w[src + S_RETRANS]!++;
              w[src + S_STATUS]! |= TcpStatus.PKTS_RETRANS;
              w[src + S_WINBYTES] = u32(w[src + S_WINBYTES]! - len);
            } else {
              w[src + S_STATUS]! |= TcpStatus.OUTOFORDER;
            }
          }
        }
        w[src + S_SEQ] = maxseq;
      }
    }
    if (m.thisDir) flow.sipid = ipid;
    else flow.dipid = ipid;
  }

  if (hdr.ack && (flags & ACK)) {
    const ackm1 = u32(hdr.ack - 1);
    if (w[src + S_ACK]! && w[dst + S_SEQ]! > w[src + S_ACK]!) {
      w[dst + S_WINBYTES] = u32(u32(w[dst + S_SEQ]! - 1) - w[src + S_ACK]!);
    }
    if (w[src + S_ACK]! !== ackm1) {
      if (!w[src + S_ACK]! || w[dst + S_SEQ]! === hdr.ack) {
        w[dst + S_WINBYTES] = 0;
        if (w[dst + S_SEQ]! === hdr.ack) w[dst + S_WINNUM]!++;
      } else if (!(flags & SYN) && w[src + S_ACK]!) {
        // `win` is an int in argus but compared as unsigned.
        let win = u32(ackm1 - w[src + S_ACK]!);
        win = w[dst + S_WINBYTES]! < win ? w[dst + S_WINBYTES]! : win;
        w[dst + S_WINBYTES] = u32(w[dst + S_WINBYTES]! - win);
        w[dst + S_WINNUM]!++;
      }
      w[src + S_ACK] = ackm1;
    }
  }
  return true;
}

const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_MAXSEG = 2;
const OPT_WSCALE = 3;
const OPT_SACKOK = 4;
const OPT_SACK = 5;
const OPT_ECHO = 6;
const OPT_ECHOREPLY = 7;
const OPT_TIMESTAMP = 8;
const OPT_CC = 11;
const OPT_CCNEW = 12;
const OPT_CCECHO = 13;

/** ArgusParseTCPOptions: option bits, and the window shift. */
function parseTcpOptions(
  m: FlowEngine,
  th: number,
  len: number,
  tcp: number,
  src: number,
): void {
  const ctx = m.ctx;
  const w = m.tcpRows.words;
  let cp = th + 20;
  const lencheck = (l: number) => l <= len && ctx.captured(cp, l);
  while (len > 0) {
    const opt = ctx.u8(cp++);
    let alen = 1;
    if (opt !== OPT_EOL && opt !== OPT_NOP) {
      alen = ctx.u8(cp++);
      if (alen < 2 || alen > len) return;
      --len;
    }
    --len;
    let datalen = 0;
    let bit = 0;
    switch (opt) {
      case OPT_MAXSEG:
        bit = TcpOption.MAXSEG;
        datalen = 2;
        break;
      case OPT_WSCALE:
        w[tcp + C_OPTIONS] = u32(w[tcp + C_OPTIONS]! | TcpOption.WSCALE);
        datalen = 1;
        if (!lencheck(1)) return;
        w[src + S_WINSHIFT] = ctx.u8(cp);
        break;
      case OPT_SACKOK:
        w[tcp + C_OPTIONS] = u32(w[tcp + C_OPTIONS]! | TcpOption.SACKOK);
        break;
      case OPT_SACK:
        w[tcp + C_OPTIONS] = u32(w[tcp + C_OPTIONS]! | TcpOption.SACK);
        datalen = alen - 2;
        for (let i = 0; i < datalen; i += 4) if (!lencheck(i + 4)) return;
        break;
      case OPT_ECHO:
        bit = TcpOption.ECHO;
        datalen = 4;
        break;
      case OPT_ECHOREPLY:
        bit = TcpOption.ECHOREPLY;
        datalen = 4;
        break;
      case OPT_TIMESTAMP:
        bit = TcpOption.TIMESTAMP;
        datalen = 8;
        if (!lencheck(4)) {
          w[tcp + C_OPTIONS] = u32(w[tcp + C_OPTIONS]! | bit);
          return;
        }
        break;
      case OPT_CC:
        bit = TcpOption.CC;
        datalen = 4;
        break;
      case OPT_CCNEW:
        bit = TcpOption.CCNEW;
        datalen = 4;
        break;
      case OPT_CCECHO:
        bit = TcpOption.CCECHO;
        datalen = 4;
        break;
      case OPT_EOL:
      case OPT_NOP:
        break;
      default:
        datalen = alen - 2;
        for (let i = 0; i < datalen; ++i) if (!lencheck(i)) return;
        break;
    }
    if (bit !== 0) {
      w[tcp + C_OPTIONS] = u32(w[tcp + C_OPTIONS]! | bit);
      if (!lencheck(datalen)) return;
    }
    cp += datalen;
    len -= datalen;
    if (opt === OPT_EOL) return;
  }
}
