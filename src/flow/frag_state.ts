/**
 * IP fragments (argus ArgusFrag.c and the fragment code of ArgusUpdateFlow).
 * A first fragment registers a fragment flow on its parent flow; later
 * fragments are tallied there and folded into the parent once every byte
 * has arrived. Fragments whose first fragment never comes stay flows of
 * their own (the "udp 0 -> 0" records). The byte-range bookkeeping, with
 * its overlaps and quirks, is argus's.
 * @module
 */

import { dsrBit, DsrIndex } from "./dsr_index.ts";
import { type Flow, FragState } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";
import { FlowKey } from "./flow_key.ts";
import { FlowQueue } from "./flow_queue.ts";
import { Cause, FlowQual, FlowSubtype, RECORD_WRITTEN } from "./flow_status.ts";

/** Network DSR subtype of a fragment flow. */
export const NETWORK_SUBTYPE_FRAG = 0x45;

const FRAGOVERLAP = 0x02;
const FRAG_OUT_OF_ORDER = 0x20;
const TCPFRAGOFFSETERROR = 0x40;
const TIME_ABSOLUTE_TIMESTAMP = 0x01;
const TIME_ABSOLUTE_RANGE = 0x02;

/** One received byte range; `offsets[0]` is argus's inline first range. */
export interface FragRange {
  start: number;
  end: number;
}

const fragKey = new FlowKey();

/**
 * After an IPv4 first fragment (offset 0, more to come) updated `parent`,
 * finds or creates its fragment flow and accounts the fragment there.
 */
export function startFragments(
  m: FlowEngine,
  parent: Flow,
  state: number,
  ip: number,
): void {
  const key = fragKey;
  const ctx = m.ctx;
  // argus edits its packet key in place: the parent's key is the base.
  key.reset();
  key.subtype = m.key.subtype;
  key.qual = m.key.qual | FlowQual.FRAGMENT;
  key.size = m.key.size;
  key.words.set(m.key.words);
  {
    const src = ctx.u32(ip + 12);
    const dst = ctx.u32(ip + 16);
    const reverse = src > dst;
    key.reversed = reverse;
    if (reverse) {
      key.qual |= FlowQual.DIRECTION;
      key.subtype |= FlowSubtype.REVERSE;
    }
    key.put32(0, reverse ? dst : src);
    key.put32(4, reverse ? src : dst);
    key.put8(8, ctx.u8(ip + 9));
    key.put16(10, 0);
    key.put16(12, 0);
    const id = ctx.u16(ip + 4);
    key.put8(14, id & 0xff);
    key.put8(15, id >> 8);
  }

  let frag = m.findFlow(key);
  if (frag === undefined) {
    const fq = parent.fragQueue ?? (parent.fragQueue = new FlowQueue());
    frag = m.newFlow(fq, key)!;
    const fs = new FragState();
    fs.parent = parent;
    fs.fragId = ctx.u16(ip + 4);
    frag.frag = fs;
    frag.netSubtype = NETWORK_SUBTYPE_FRAG;
    frag.netQual = 0;
    frag.dsrs |= dsrBit(DsrIndex.NETWORK);
    m.withKey(key, () => m.updateBasicFlow(frag!, state));
  } else {
    frag.netQual |= FRAG_OUT_OF_ORDER;
    const fs = frag.frag ?? (frag.frag = new FragState());
    if (fs.parent === null) {
      fs.parent = parent;
      const fq = parent.fragQueue ?? (parent.fragQueue = new FlowQueue());
      if (frag.queue !== fq) {
        frag.queue?.remove(frag);
        fq.add(frag, m.now);
      }
    }
  }
  if (updateFragState(m, frag, state)) m.deleteObject(frag);
}

/**
 * Accounts the current fragment to fragment flow `flow` (argus
 * ArgusUpdateFRAGState).
 * @returns true when the flow is complete (and folded) and can be deleted
 */
export function updateFragState(
  m: FlowEngine,
  flow: Flow,
  state: number,
): boolean {
  const ctx = m.ctx;
  const ip = ctx.ip;
  let upP = 0, offset = 0, length = 0, end = 0;
  let more = false;
  let totlen = 0;
  if (ctx.ipv6Frag < 0) {
    upP = ctx.u8(ip + 9);
    const off = ctx.u16(ip + 6);
    offset = (off & 0x1fff) << 3;
    length = ctx.u16(ip + 2) - (ctx.u8(ip) & 0x0f) * 4;
    more = (off & 0x2000) !== 0;
    totlen = offset + length;
  } else {
    const f = ctx.ipv6Frag;
    upP = ctx.u8(f);
    const offlg = ctx.u16(f + 2);
    offset = offlg & 0xfff8;
    length = ctx.length;
    more = (offlg & 1) !== 0;
    totlen = offset + (ctx.u16(ip + 4) - 8);
  }
  end = offset + length;

  if (!(flow.dsrs & dsrBit(DsrIndex.NETWORK))) return false;
  if (flow.netSubtype !== NETWORK_SUBTYPE_FRAG) {
    if (state !== Cause.START) return false;
    flow.netSubtype = NETWORK_SUBTYPE_FRAG;
    flow.netQual = 0;
    flow.frag = new FragState();
  }
  const frag = flow.frag ?? (flow.frag = new FragState());
  frag.totbytes = (frag.totbytes + ctx.length) >>> 0;

  const offs = frag.offsets;
  let found = false;
  let newbytes = true;
  let fo = -1; // index of argus's fragOffset, -1 for NULL
  let prv = -1;
  if (offs.length === 0) offs.push({ start: 0, end: 0 });
  const base = offs[0]!;
  if (!base.end) {
    base.start = offset;
    base.end = end;
    found = true;
  } else {
    fo = 0;
    while (fo >= 0 && !found) {
      const cur = offs[fo]!;
      const nxtIdx = fo + 1 < offs.length ? fo + 1 : -1;
      if (offset > cur.end) {
        prv = fo;
        fo = nxtIdx;
      } else if (offset === cur.end) {
        if (nxtIdx < 0) {
          cur.end = end;
          found = true;
        } else {
          const nxt = offs[nxtIdx]!;
          if (end === nxt.start) {
            cur.end = nxt.end;
            offs.splice(nxtIdx, 1);
            found = true;
          } else if (end < nxt.start) {
            cur.end = end;
            found = true;
          } else {
            offset = nxt.start;
            cur.end = nxt.start;
            flow.netQual |= FRAGOVERLAP;
            prv = fo;
            fo = nxtIdx;
          }
        }
      } else if (offset < cur.start) {
        if (end === cur.start) {
          cur.start = offset;
          found = true;
        } else if (end < cur.start) {
          fo = -1;
        } else if (end > cur.end) {
          flow.netQual |= FRAGOVERLAP;
          frag.bytes = (frag.bytes - (cur.end - cur.start)) >>> 0;
          if (nxtIdx >= 0) {
            // Unlink this range (the first range takes the next one's place).
            offs.splice(fo, 1);
          } else if (prv >= 0) {
            offs.splice(fo, 1);
          } else {
            cur.start = offset;
            cur.end = end;
            found = true;
          }
          prv = -1;
          fo = found ? fo : 0;
          if (offs.length === 0) offs.push({ start: 0, end: 0 });
        } else {
          flow.netQual |= FRAGOVERLAP;
          end = cur.start;
          cur.start = offset;
          found = true;
        }
      } else {
        if (end <= cur.end) {
          // An exact repeat sets a retransmission bit argus keeps in an
          // 8-bit field, where it is lost; a partial one is an overlap.
          if (!(offset === cur.start && end === cur.end)) {
            flow.netQual |= FRAGOVERLAP;
          }
          newbytes = false;
          found = true;
        } else {
          flow.netQual |= FRAGOVERLAP;
          if (nxtIdx >= 0 && offs[nxtIdx]!.start < end) {
            offset = offs[nxtIdx]!.start;
            cur.end = offs[nxtIdx]!.start;
          } else {
            offset = cur.end;
          }
          prv = fo;
          fo = nxtIdx;
        }
      }
    }
    if ((flow.netQual & FRAGOVERLAP) && upP === 6 && offset > 0 && offset < 2) {
      flow.netQual |= TCPFRAGOFFSETERROR;
    }
  }
  if (newbytes) frag.bytes = (frag.bytes + end - offset) >>> 0;
  frag.fragnum++;
  if (ctx.length > frag.maxfraglen) frag.maxfraglen = ctx.length & 0xffff;
  if (!more) frag.totlen = totlen & 0xffff;

  if (frag.totlen) {
    if (frag.totlen === frag.bytes) {
      if (!updateParentFlowImpl(m, flow)) m.sendFlowRecord(flow, Cause.STOP);
      frag.offsets = [];
      return true;
    }
  } else if (!found && (fo >= 0 || prv >= 0)) {
    offs.push({ start: offset, end });
  }
  return false;
}

/**
 * Folds a fragment flow's source counters and times into its parent
 * (argus ArgusUpdateParentFlow). True when the parent was found.
 */
export function updateParentFlowImpl(m: FlowEngine, frag: Flow): boolean {
  if (!frag.srcPkts && !frag.dstPkts) return false;
  const fs = frag.frag;
  if (fs === null || !(frag.dsrs & dsrBit(DsrIndex.NETWORK))) return false;
  const parent = fs.parent;
  if (
    parent === null || frag.queue === null || frag.queue !== parent.fragQueue
  ) {
    return false;
  }
  if (parent.status & RECORD_WRITTEN) m.zeroRecord(parent);
  const type = parent.keyQual & 0x1f;
  const crossed = parent.reversed !== frag.reversed;
  if (type === FlowQual.IPV4 || type === FlowQual.IPV6) {
    if (crossed) {
      parent.dstPkts += frag.srcPkts;
      parent.dstBytes += frag.srcBytes;
      if (parent.dsrs & dsrBit(DsrIndex.IPATTR)) parent.attrQual |= 0x20;
    } else {
      parent.srcPkts += frag.srcPkts;
      parent.srcBytes += frag.srcBytes;
      if (parent.dsrs & dsrBit(DsrIndex.IPATTR)) parent.attrQual |= 0x10;
    }
    frag.srcPkts = 0;
    frag.srcBytes = 0;
  }
  if (
    (frag.dsrs & dsrBit(DsrIndex.TIME)) && (parent.dsrs & dsrBit(DsrIndex.TIME))
  ) {
    const fStart = frag.srcStart, fEnd = frag.srcEnd;
    if (parent.timeSubtype === TIME_ABSOLUTE_TIMESTAMP) {
      parent.timeSubtype = TIME_ABSOLUTE_RANGE;
      if (crossed) {
        if (parent.dstStart > fStart) parent.dstStart = fStart;
        parent.dstEnd = fEnd;
      } else {
        if (parent.srcStart > fStart) parent.srcStart = fStart;
        parent.srcEnd = fEnd;
      }
    } else if (crossed) {
      if (parent.dstEnd < fEnd) parent.dstEnd = fEnd;
    } else if (parent.srcEnd < fEnd) {
      parent.srcEnd = fEnd;
    }
  }
  return true;
}
