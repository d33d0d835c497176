/**
 * argus -r cisco:file: NetFlow export packets found in the UDP payloads of
 * a capture become Argus flow records (argus 3.0.8's ARGUS_CISCO_DATA_SOURCE
 * mode, ArgusUpdateAppState → ArgusParseCiscoRecord). The packets are still
 * modelled as flows too; this only adds the NetFlow records. Versions: v5
 * and v9 (IPv4 and IPv6 flows).
 * @module
 */

import { PacketContext } from "../decode/packet_context.ts";
import { decodeFrame, Entry } from "../decode/link_decoder.ts";
import { RecordBuffer } from "../record/mod.ts";
import { appendV5Records } from "./netflow_v5.ts";
import { NetflowV9 } from "./netflow_v9.ts";

const UDP = 17;

/** The fields of a packet batch read here (capture's PacketBatch). */
export interface PacketsView {
  readonly data: Uint8Array;
  readonly count: number;
  readonly start: ArrayLike<number>;
  readonly caplen: ArrayLike<number>;
  readonly wirelen: ArrayLike<number>;
  readonly linkType: ArrayLike<number>;
  readonly tsSec: ArrayLike<number>;
}

/**
 * An -r argument: its file name and whether it is read for NetFlow
 * (argus takes what follows "cisco:" anywhere in the word).
 */
export function ciscoInput(arg: string): { path: string; cisco: boolean } {
  const at = arg.indexOf("cisco:");
  return at < 0 || arg === "-"
    ? { path: arg, cisco: false }
    : { path: arg.slice(at + 6), cisco: true };
}

/** Finds NetFlow in packets and encodes its records. */
export class CiscoRecords {
  readonly #ctx = new PacketContext();
  readonly #out = new RecordBuffer(1 << 16);
  readonly #v9 = new NetflowV9();
  #view: DataView | null = null;
  #viewOf: Uint8Array | null = null;
  /** Flow records made so far. */
  records = 0;

  /**
   * The records from a batch's export packets, or null if none. Each v9
   * record uses up a sequence number of `engine`'s, as in argus.
   */
  recordsFor(
    batch: PacketsView,
    engine?: { skipSequence(n: number): void },
  ): Uint8Array | null {
    this.#out.clear();
    for (let i = 0; i < batch.count; i++) this.#append(batch, i, engine);
    return this.#take();
  }

  /** The records from packet `i` of a batch, or null if it has none. */
  forPacket(
    batch: PacketsView,
    i: number,
    engine?: { skipSequence(n: number): void },
  ): Uint8Array | null {
    this.#out.clear();
    this.#append(batch, i, engine);
    return this.#take();
  }

  #take(): Uint8Array | null {
    const out = this.#out;
    return out.pos > 0 ? out.bytes().slice() : null;
  }

  /** Appends the records of packet `i`, if it carries NetFlow. */
  #append(
    batch: PacketsView,
    i: number,
    engine: { skipSequence(n: number): void } | undefined,
  ): void {
    const out = this.#out;
    const ctx = this.#ctx;
    const { data, start, caplen, wirelen, linkType } = batch;
    if (data !== this.#viewOf) {
      this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      this.#viewOf = data;
    }
    const v = this.#view!;
    const entry = decodeFrame(
      ctx,
      linkType[i]!,
      data,
      start[i]!,
      caplen[i]!,
      wirelen[i]!,
    );
    if (entry === Entry.NONE) return;
    const ip = ctx.ip, end = ctx.snapEnd;
    if (ip < 0 || end - ip < 20 || data[ip]! >> 4 !== 4) return;
    const hlen = (data[ip]! & 0x0f) * 4;
    // Fragments are not looked into (argus skips ARGUS_FRAGMENT flows).
    if (data[ip + 9] !== UDP || (v.getUint16(ip + 6) & 0x3fff) !== 0) {
      return;
    }
    const udp = ip + hlen, payload = udp + 8;
    if (payload + 2 > end) return;
    const src = v.getUint32(ip + 12), dst = v.getUint32(ip + 16);
    const sport = v.getUint16(udp), dport = v.getUint16(udp + 2);
    // argus keys the flow with the lower address (then port) first.
    const reversed = src > dst || (src === dst && sport > dport);
    const exporter = { addr: src, reversed, keySrc: reversed ? dst : src };
    switch (v.getUint16(payload)) {
      case 5:
        this.records += appendV5Records(out, v, payload, end, exporter);
        break;
      case 9: {
        const n = this.#v9.append(
          out,
          v,
          payload,
          end,
          src,
          batch.tsSec[i]!,
        );
        this.records += n;
        engine?.skipSequence(n);
        break;
      }
    }
  }
}
