/**
 * The argus 3.0.8 TCP model (ArgusTcp.c): connection state, per-direction
 * sequence tracking, retransmission/out-of-order/window-shut detection and
 * the SYN-after-close restart that ends one record and starts the next.
 * Values and their quirks (e.g. the unsigned comparisons, the TCP timeout
 * that always returns to 60 s) follow the real argus; the State and Flgs
 * columns ra prints are derived from these bits.
 * @module
 */

import type { Flow, TcpObject, TcpSide } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";
import { dsrBit, DsrIndex } from "./dsr_index.ts";
import { Cause, TcpOption, TcpState, TcpStatus } from "./flow_status.ts";

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
    const tcp = flow.tcp ?? (flow.tcp = m.newTcpObject());
    tcp.clear();
    ctx.length = tcpdatalen;
    ctx.up = th + tcphlen;
    const src = m.thisDir ? tcp.src : tcp.dst;
    const dst = m.thisDir ? tcp.dst : tcp.src;
    if ((tcphlen -= 20) > 0) parseTcpOptions(m, th, tcphlen, tcp, src);
    if (flags & RST) {
      tcp.status |= TcpStatus.RESET;
      src.status |= TcpStatus.RESET;
      tcp.state = TcpState.LISTEN;
      src.bytes = u32(src.bytes + ctx.length);
      src.flags |= flags;
      if (hdr.seq) {
        src.seqbase = u32(hdr.seq - 1);
        src.seq = u32(hdr.seq + ctx.length);
      } else {
        src.seqbase = u32(hdr.ack - 1);
        src.seq = u32(hdr.ack - 1);
      }
      dst.ack = u32(hdr.ack - 1);
      src.lasttime = now;
      return state;
    }
    switch (flags & (SYN | ACK | FIN | PUSH | URG)) {
      case SYN:
        tcp.status |= TcpStatus.SAW_SYN;
        tcp.state = TcpState.SYN_SENT;
        src.bytes = u32(src.bytes + ctx.length);
        src.seqbase = hdr.seq;
        src.seq = hdr.seq;
        src.win = hdr.win;
        src.flags |= flags;
        if ((flags & (ECE | CWR)) === (ECE | CWR)) {
          tcp.options = u32(tcp.options | TcpOption.SRC_ECN);
        }
        break;
      case SYN | ACK:
        tcp.status |= TcpStatus.SAW_SYN_SENT;
        tcp.state = TcpState.SYN_RECEIVED;
        src.bytes = u32(src.bytes + ctx.length);
        src.seqbase = hdr.seq;
        src.seq = hdr.seq;
        src.win = hdr.win;
        src.flags |= flags;
        dst.ack = u32(hdr.ack - 1);
        if ((flags & (ECE | CWR)) === ECE) {
          tcp.options = u32(tcp.options | TcpOption.DST_ECN);
        }
        break;
      case ACK:
      case PUSH | ACK:
      case URG | ACK:
      case PUSH | URG | ACK:
      case PUSH:
      case URG:
      case PUSH | URG:
        if (flags & ACK) dst.ack = u32(hdr.ack - 1);
        tcp.status |= TcpStatus.CON_ESTABLISHED;
        tcp.state = TcpState.ESTABLISHED;
        dataStart(src, flags, ctx.length);
        src.win = hdr.win;
        break;
      case FIN:
      case FIN | ACK:
        tcp.status |= TcpStatus.FIN;
        tcp.state = TcpState.FIN_WAIT_1;
        dataStart(src, flags, ctx.length);
        src.win = hdr.win;
        break;
      default:
        // argus 3.0.8 starts odd flag combinations in CLOSING.
        tcp.status |= TcpStatus.CON_ESTABLISHED;
        tcp.state = TcpState.CLOSING;
        dataStart(src, flags, ctx.length);
        src.win = hdr.win;
        break;
    }
    src.lasttime = now;
    return state;
  }

  const tcp = flow.tcp ?? (flow.tcp = m.newTcpObject());
  const src = m.thisDir ? tcp.src : tcp.dst;
  if (tcp.state === TcpState.LISTEN) {
    if (flags & SYN) {
      m.sendFlowRecord(flow, Cause.STOP);
      m.initializeTcp(flow);
      flow.queue?.remove(flow);
      m.statusQueue.push(flow, now);
      state = Cause.START;
    }
    // argus keeps its pointer to the side chosen before the restart.
    src.flags |= flags;
    src.lasttime = now;
    return state;
  }

  flow.netSubtype = TCP_PERF;
  ctx.length = tcpdatalen;
  ctx.up = th + tcphlen;
  // argus compares (int - size_t): any header length but 20 parses options.
  if (tcphlen !== 20) parseTcpOptions(m, th, tcphlen - 20, tcp, src);
  src.flags |= flags;
  if (
    (tcp.options & (TcpOption.SRC_ECN | TcpOption.DST_ECN)) && (flags & ECE)
  ) {
    if (flags & ACK) {
      tcp.status |= m.thisDir
        ? TcpStatus.SRC_CONGESTED
        : TcpStatus.DST_CONGESTED;
    }
  }
  if (updateSequence(m, flow, tcp)) {
    switch (updateStateMachine(m, tcp)) {
      case TcpState.LISTEN:
        if (flags === SYN) {
          src.bytes = u32(src.bytes - ctx.length);
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
        if (!(tcp.status & TcpStatus.RESET)) {
          tcp.status |= TcpStatus.NORMAL_CLOSE;
        }
        break;
    }
  }
  src.lasttime = now;
  return state;
}

function dataStart(src: TcpSide, flags: number, len: number): void {
  src.bytes = u32(src.bytes + len);
  src.flags |= flags;
  src.seqbase = u32(hdr.seq - 1);
  src.seq = u32(hdr.seq + len);
}

/** ArgusUpdateTCPStateMachine; returns the state (LISTEN is not stored). */
function updateStateMachine(m: FlowEngine, tcp: TcpObject): number {
  const flags = hdr.flags;
  let state = tcp.state;
  const len = m.ctx.length;
  const src = m.thisDir ? tcp.src : tcp.dst;
  const dst = m.thisDir ? tcp.dst : tcp.src;

  if (flags & RST) {
    tcp.status |= TcpStatus.RESET;
    src.status |= TcpStatus.RESET;
    if (state === TcpState.SYN_SENT) {
      state = dst.seq === src.ack ? TcpState.LISTEN : TcpState.CLOSING;
    } else {
      const window = u32(src.ack + (src.win >>> src.winshift));
      state = hdr.seq >= src.ack && hdr.seq < window
        ? TcpState.CLOSED
        : TcpState.CLOSING;
    }
  } else {
    switch (state) {
      case TcpState.LISTEN:
      case TcpState.SYN_SENT:
        if (flags === SYN) {
          src.status |= TcpStatus.PKTS_RETRANS;
          src.retrans++;
        } else if (flags === (SYN | ACK)) {
          if (src.status & TcpStatus.SAW_SYN) {
            state = TcpState.LISTEN;
            tcp.status |= TcpStatus.SAW_SYN_SENT;
            src.status |= TcpStatus.SAW_SYN_SENT;
          } else {
            state = TcpState.SYN_RECEIVED;
            tcp.status |= TcpStatus.SAW_SYN_SENT;
            src.status |= TcpStatus.SAW_SYN_SENT;
            if (dst.seq === src.ack) {
              tcp.synAckUsecs = u32(Math.abs(m.now - dst.lasttime));
            }
          }
        } else if (flags & FIN) {
          state = TcpState.FIN_WAIT_1;
          tcp.status |= TcpStatus.FIN;
          src.status |= TcpStatus.FIN;
        } else if (flags & ACK) {
          state = TcpState.ESTABLISHED;
          tcp.status |= TcpStatus.CON_ESTABLISHED;
          src.status |= TcpStatus.CON_ESTABLISHED;
        }
        break;
      case TcpState.SYN_RECEIVED:
        if (flags & FIN) {
          state = TcpState.FIN_WAIT_1;
          tcp.status |= TcpStatus.FIN;
          src.status |= TcpStatus.FIN;
        } else if (!(flags & SYN)) {
          if (flags & ACK) {
            state = TcpState.ESTABLISHED;
            tcp.status |= TcpStatus.CON_ESTABLISHED;
            src.status |= TcpStatus.CON_ESTABLISHED;
            if (src.seq === dst.ack) {
              tcp.ackDatUsecs = u32(Math.abs(m.now - dst.lasttime));
            }
          }
        } else {
          src.status |= TcpStatus.PKTS_RETRANS;
          src.retrans++;
        }
        break;
      case TcpState.ESTABLISHED:
        if (flags & FIN) {
          state = TcpState.FIN_WAIT_1;
          tcp.status |= TcpStatus.FIN;
          src.status |= TcpStatus.FIN;
        } else if (flags & SYN) {
          if (flags & ACK) {
            tcp.status |= TcpStatus.SAW_SYN_SENT | TcpStatus.CON_ESTABLISHED;
          }
          src.status |= TcpStatus.PKTS_RETRANS;
          src.retrans++;
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
            if (dst.status & TcpStatus.FIN_ACK) {
              src.status |= TcpStatus.PKTS_RETRANS;
              src.retrans++;
            }
          } else {
            tcp.status |= TcpStatus.FIN;
            src.status |= TcpStatus.FIN;
          }
        }
        if ((flags & ACK) && !len) {
          if ((dst.status & TcpStatus.FIN) && dst.seq === src.ack) {
            state = TcpState.FIN_WAIT_2;
            tcp.status |= TcpStatus.FIN_ACK;
            dst.status |= TcpStatus.FIN_ACK;
          }
        }
        break;
      case TcpState.CLOSING:
      case TcpState.TIME_WAIT:
        if ((flags & SYN) && !(flags & ACK)) state = TcpState.LISTEN;
        else if ((flags & ACK) && src.seq === src.ack && dst.seq === src.ack) {
          state = TcpState.CLOSED;
        }
        break;
      case TcpState.CLOSED:
        if ((flags & SYN) && !(flags & ACK)) state = TcpState.LISTEN;
        break;
    }
  }
  if (state !== TcpState.LISTEN) tcp.state = state;
  return state;
}

/** The IP id of the packet as argus holds it: raw bytes read little-endian. */
function rawIpId(v: number): number {
  return ((v & 0xff) << 8) | (v >>> 8);
}

/** ArgusUpdateTCPSequence; returns false for a tracked duplicate. */
function updateSequence(m: FlowEngine, flow: Flow, tcp: TcpObject): boolean {
  const flags = hdr.flags;
  const len = m.ctx.length;
  const seq = hdr.seq;
  const newseq = u32(seq + len);
  const src = m.thisDir ? tcp.src : tcp.dst;
  const dst = m.thisDir ? tcp.dst : tcp.src;
  const haveAttr = (flow.attrQual & (m.thisDir ? 0x01 : 0x02)) !== 0;
  const ipid = haveAttr ? rawIpId(m.thisDir ? flow.srcIpId : flow.dstIpId) : 0;

  if (flags === SYN) return true;
  m.inProtocol = true;
  if (!hdr.win && !(flags & (FIN | RST))) {
    src.status |= TcpStatus.WINDOW_SHUT;
    m.inProtocol = false;
  } else if (!(flags & (FIN | RST))) {
    src.win = hdr.win;
  }
  if (len && dst.win !== 0) {
    src.bytes = u32(src.bytes + len);
    if (src.winbytes === 0) m.inProtocol = false;
    if (src.flags & FIN) {
      if (seq < src.seq) {
        src.retrans++;
        src.status |= TcpStatus.PKTS_RETRANS;
      } else if (!(flags & FIN)) {
        src.status |= TcpStatus.OUTOFORDER;
      }
    }
    if (!(flags & SYN)) src.winbytes = u32(src.winbytes + len);
  } else {
    m.inProtocol = false;
  }

  if (newseq < seq) {
    // Sequence space wrapped: ackbytes keeps the bytes before the wrap.
    src.ackbytes = u32(src.ackbytes + u32(src.seq - src.seqbase));
    src.seqbase = newseq;
    src.seq = newseq;
  } else if (!src.seqbase) {
    src.seqbase = seq;
    src.seq = newseq;
  } else if (len) {
    if (dst.win !== 0) {
      if (seq < dst.ack) {
        if (u32(dst.ack - seq) < (src.win >>> src.winshift)) {
          src.retrans++;
          src.status |= TcpStatus.PKTS_RETRANS;
          src.winbytes = u32(src.winbytes - len);
          m.inProtocol = false;
        }
      } else {
        const maxseq = newseq > src.seq ? newseq : src.seq;
        if (src.win) {
          const last = m.thisDir ? flow.sipid : flow.dipid;
          const dipid = ipid - last;
          if (last && dipid < 0 && dipid > -5000) {
            src.status |= TcpStatus.OUTOFORDER;
          } else if (src.winbytes > u32(u32(maxseq - 1) - dst.ack)) {
            src.retrans++;
            src.status |= TcpStatus.PKTS_RETRANS;
            src.winbytes = u32(src.winbytes - len);
            m.inProtocol = false;
          } else if (newseq < src.seq) {
            if (seq === u32(dst.ack + 1)) {
              src.retrans++;
              src.status |= TcpStatus.PKTS_RETRANS;
              src.winbytes = u32(src.winbytes - len);
            } else {
              src.status |= TcpStatus.OUTOFORDER;
            }
          }
        }
        src.seq = maxseq;
      }
    }
    if (m.thisDir) flow.sipid = ipid;
    else flow.dipid = ipid;
  }

  if (hdr.ack && (flags & ACK)) {
    const ackm1 = u32(hdr.ack - 1);
    if (src.ack && dst.seq > src.ack) {
      dst.winbytes = u32(u32(dst.seq - 1) - src.ack);
    }
    if (src.ack !== ackm1) {
      if (!src.ack || dst.seq === hdr.ack) {
        dst.winbytes = 0;
        if (dst.seq === hdr.ack) dst.winnum++;
      } else if (!(flags & SYN) && src.ack) {
        // `win` is an int in argus but compared as unsigned.
        let win = u32(ackm1 - src.ack);
        win = dst.winbytes < win ? dst.winbytes : win;
        dst.winbytes = u32(dst.winbytes - win);
        dst.winnum++;
      }
      src.ack = ackm1;
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
  tcp: TcpObject,
  src: TcpSide,
): void {
  const ctx = m.ctx;
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
        tcp.options = u32(tcp.options | TcpOption.WSCALE);
        datalen = 1;
        if (!lencheck(1)) return;
        src.winshift = ctx.u8(cp);
        break;
      case OPT_SACKOK:
        tcp.options = u32(tcp.options | TcpOption.SACKOK);
        break;
      case OPT_SACK:
        tcp.options = u32(tcp.options | TcpOption.SACK);
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
          tcp.options = u32(tcp.options | bit);
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
      tcp.options = u32(tcp.options | bit);
      if (!lencheck(datalen)) return;
    }
    cp += datalen;
    len -= datalen;
    if (opt === OPT_EOL) return;
  }
}
