/**
 * ESP state (argus ArgusEsp.c): the SPI and the sequence numbers seen, with
 * lost, out-of-order and failed sequences counted in the network DSR.
 * @module
 */

import { dsrBit, DsrIndex } from "./dsr_index.ts";
import type { Flow } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";
import { Cause, Timeout } from "./flow_status.ts";

/** Network DSR subtype of ESP flows. */
export const NET_SUBTYPE_ESP = 0x38;
const ESP_ROLLOVER = 0x1000;
const ESP_SEQFAILURE = 0x2000;
const SRC_PKTS_DROP = 0x10;
const SRC_OUTOFORDER = 0x10000;
const ESP_WINDOW = 0x10000;

/** ESP object of a flow (ArgusESPObject). */
export class EspObject {
  status = 0;
  spi = 0;
  lastseq = 0;
  lostseq = 0;
}

/** Updates an ESP flow with the ESP header at `ctx.up`. */
export function updateEspState(m: FlowEngine, flow: Flow, state: number): void {
  const ctx = m.ctx;
  const esp = ctx.up;
  if (!ctx.captured(esp, 8)) return;
  const seq = ctx.u32(esp + 4);
  const spi = ctx.u32(esp);
  // argus converts the header to host order in the packet itself, so -U
  // user data (which starts at this header) holds it little-endian.
  swap32(ctx.data, esp);
  swap32(ctx.data, esp + 4);
  const obj = flow.esp ?? (flow.esp = new EspObject());
  if (state === Cause.START) {
    flow.netSubtype = NET_SUBTYPE_ESP;
    flow.netQual = 0;
    flow.dsrs |= dsrBit(DsrIndex.NETWORK);
    obj.status = obj.lostseq = 0;
    flow.timeout = Timeout.IP;
    obj.spi = spi;
    obj.lastseq = seq;
    return;
  }
  if (obj.status & ESP_SEQFAILURE) return;
  // argus subtracts as unsigned and keeps the result in an int.
  const diff = (seq - obj.lastseq) | 0;
  if (seq < obj.lastseq && diff > 0) obj.status |= ESP_ROLLOVER;
  if (diff !== 1) {
    if (diff === 0 || Math.abs(diff) > ESP_WINDOW) {
      obj.status |= ESP_SEQFAILURE;
      if (diff) obj.lastseq = seq;
    } else if (diff > 0) {
      obj.status |= SRC_PKTS_DROP;
      obj.lostseq = (obj.lostseq + diff - 1) >>> 0;
      obj.lastseq = seq;
    } else {
      obj.lostseq = (obj.lostseq - 1) >>> 0;
      obj.status |= SRC_OUTOFORDER;
    }
  } else {
    obj.lastseq = seq;
  }
}

/** Reverses the four bytes at `at` in place. */
function swap32(b: Uint8Array, at: number): void {
  const b0 = b[at]!, b1 = b[at + 1]!;
  b[at] = b[at + 3]!;
  b[at + 1] = b[at + 2]!;
  b[at + 2] = b1;
  b[at + 3] = b0;
}
