/**
 * A `-S argus-udp://host[:port]` source (ra(1), radium(8)): bind the UDP
 * address (joining the group when it is multicast, as the real ra does in
 * ArgusGetServerSocket) and read the records of each datagram, as argus
 * -w argus-udp:// sends them (one record each, the opening MAR first). No
 * handshake and no connection: a lost datagram is a lost record.
 * @module
 */

import { RecordFramer } from "../record/record_framer.ts";
import { RecordFormatError } from "../record/record_format_error.ts";
import type { RemoteAddress } from "./remote_address.ts";
import type { RemoteStreamOptions, RemoteVisitor } from "./remote_stream.ts";

function isMulticast(host: string): boolean {
  const first = Number(host.split(".")[0]);
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) && first >= 224 && first <= 239;
}

/**
 * Reads datagrams at `addr` until `opts.signal` aborts or the visitor
 * returns false. A port that cannot be bound is tried again (ra does so),
 * unless `opts.once`.
 */
export async function readUdpRecords(
  addr: RemoteAddress,
  visit: RemoteVisitor,
  opts: RemoteStreamOptions,
): Promise<void> {
  const dgram = (await import("node:dgram")).default;
  const where = `${addr.hostname}:${addr.port}`;
  while (!opts.signal.aborted) {
    const socket = dgram.createSocket({
      type: addr.hostname.includes(":") ? "udp6" : "udp4",
      reuseAddr: true,
    });
    const group = isMulticast(addr.hostname);
    const bound = await new Promise<Error | null>((resolve) => {
      socket.once("error", resolve);
      // A group is joined on the port bound on every address.
      socket.bind(
        addr.port,
        group ? undefined : addr.hostname,
        () => resolve(null),
      );
    });
    if (bound !== null) {
      socket.close();
      opts.log(`Bind to ${where} failed: ${bound.message}`);
      if (opts.once) return;
      await new Promise((r) => setTimeout(r, 5000));
      continue;
    }
    if (group) socket.addMembership(addr.hostname);
    opts.onConnect?.();
    await new Promise<void>((resolve) => {
      let framer = new RecordFramer(`-S ${addr.text}`);
      let damaged = false;
      const end = () => {
        opts.signal.removeEventListener("abort", end);
        socket.removeAllListeners("message");
        socket.close(() => resolve());
      };
      opts.signal.addEventListener("abort", end, { once: true });
      if (opts.signal.aborted) return end();
      socket.on("message", (msg: Uint8Array) => {
        try {
          framer.push(new Uint8Array(msg));
          if (!framer.drain(visit)) return end();
        } catch (e) {
          if (!(e instanceof RecordFormatError)) throw e;
          // One line for the first bad datagram; the next one starts clean.
          if (!damaged) opts.log(e.message);
          damaged = true;
          framer = new RecordFramer(framer.name);
        }
        opts.onChunk?.();
      });
    });
    return;
  }
}
