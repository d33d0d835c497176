/**
 * NetFlow datagrams as a client reads them from a `-S cisco://` source
 * (ra(1), radium(8); argus-clients 3.0.8 ArgusReadCiscoDatagramSocket):
 * each datagram's records, by its version (5 or 9; other versions are
 * skipped), with the sender's IPv4 address as their srcid.
 * @module
 */

import { RecordBuffer } from "../record/mod.ts";
import { appendClientV5Records } from "./client_v5.ts";
import { ClientNetflowV9 } from "./client_v9.ts";

/** Turns NetFlow datagrams into Argus records; keeps v9 templates. */
export class CiscoDatagramImport {
  readonly #out = new RecordBuffer(1 << 16);
  readonly #v9 = new ClientNetflowV9();

  /**
   * The records of one datagram (a view valid until the next call), or
   * null if it holds none.
   * @param exporter the sender's IPv4 address as a number, 0 if not IPv4
   * @param now the time it came, seconds (v9 templates time out by it)
   */
  records(
    datagram: Uint8Array,
    exporter: number,
    now: number,
  ): Uint8Array | null {
    const out = this.#out;
    out.clear();
    if (datagram.length < 2) return null;
    const v = new DataView(
      datagram.buffer,
      datagram.byteOffset,
      datagram.byteLength,
    );
    switch (v.getUint16(0)) {
      case 5:
        appendClientV5Records(out, v, 0, datagram.length, exporter);
        break;
      case 9:
        this.#v9.append(out, v, 0, datagram.length, exporter, now);
        break;
        // TODO(#9): v1, v6, v7 and v8, which the client reads too.
    }
    return out.pos > 0 ? out.bytes() : null;
  }
}

/** An IPv4 address in dotted form as a number, 0 for anything else. */
export function ipv4Number(address: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (m === null) return 0;
  return ((+m[1]! << 24) | (+m[2]! << 16) | (+m[3]! << 8) | +m[4]!) >>> 0;
}
