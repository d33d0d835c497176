/**
 * User data (argus -U N, the tail of ArgusUpdateAppState): the first N
 * payload bytes of each direction per record, for the SRC/DST user data
 * DSRs; ArgusZeroRecord's slot reset starts each record period afresh.
 * @module
 */

import { dsrBit, DsrIndex } from "./dsr_index.ts";
import type { Flow } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";
import { Cause } from "./flow_status.ts";

/** One direction's captured bytes (ArgusDataStruct: size, count, array). */
export class UserData {
  /** Bytes wanted (-U), 16 bits as argus keeps it. */
  readonly size: number;
  /** Bytes captured so far. */
  count = 0;
  /** The captured bytes; past `count` they are zero. */
  readonly bytes: Uint8Array;

  constructor(size: number) {
    this.size = size;
    this.bytes = new Uint8Array(size);
  }

  /** Empties the buffer (a new DSR, or a restarted flow). */
  clear(): void {
    this.bytes.fill(0, 0, this.count);
    this.count = 0;
  }
}

const SRC_BIT = dsrBit(DsrIndex.SRCUSERDATA);
const DST_BIT = dsrBit(DsrIndex.DSTUSERDATA);

/**
 * Copies the payload at `ctx.up` into the packet direction's user data,
 * up to `size` bytes per record period. A packet gives at most its payload
 * length and what was captured of it. A flow (re)starting empties it.
 */
export function captureUserData(
  m: FlowEngine,
  flow: Flow,
  state: number,
  size: number,
): void {
  const ctx = m.ctx;
  const src = m.thisDir;
  const bit = src ? SRC_BIT : DST_BIT;
  let user = src ? flow.srcUser : flow.dstUser;
  if (user === null || user.size !== size) {
    user = new UserData(size);
    if (src) flow.srcUser = user;
    else flow.dstUser = user;
  } else if (!(flow.dsrs & bit) || state === Cause.START) {
    user.clear();
  }
  flow.dsrs |= bit;
  if (user.count >= user.size) return;
  // argus bounds the copy by the payload length, its remaining snap length
  // and the bytes left before the capture's end.
  const left = ctx.snapEnd - ctx.up;
  const n = Math.min(
    user.size - user.count,
    ctx.length,
    left - ctx.snapDeficit,
    left,
  );
  if (n <= 0) return;
  const data = ctx.data, bytes = user.bytes;
  for (let i = 0, from = ctx.up, to = user.count; i < n; i++) {
    bytes[to + i] = data[from + i]!;
  }
  user.count += n;
}
