/**
 * A `-S cisco://host[:port]` source (ra(1), radium(8)): bind the UDP
 * address and turn each NetFlow v5/v9 datagram into Argus records, as
 * the real client does (argus_client.c ArgusGetServerSocket, then
 * argus_import.c ArgusReadCiscoDatagramSocket). No opening MAR reaches
 * the reader: the real ra prints none for such a source.
 * @module
 */

import { CiscoDatagramImport, ipv4Number } from "../netflow/mod.ts";
import type { RemoteAddress } from "./remote_address.ts";
import type { RemoteStreamOptions, RemoteVisitor } from "./remote_stream.ts";

/**
 * Reads NetFlow datagrams at `addr` until `opts.signal` aborts or the
 * visitor returns false. A port that cannot be bound is tried again
 * every 5 s, unless `opts.once`.
 */
export async function readCiscoRecords(
  addr: RemoteAddress,
  visit: RemoteVisitor,
  opts: RemoteStreamOptions,
): Promise<void> {
  const dgram = (await import("node:dgram")).default;
  const where = `${addr.hostname}:${addr.port}`;
  while (!opts.signal.aborted) {
    // The client reads NetFlow over IPv4 only (AF_INET in its hints).
    const socket = dgram.createSocket({ type: "udp4", reuseAddr: true });
    const bound = await new Promise<Error | null>((resolve) => {
      socket.once("error", resolve);
      socket.bind(addr.port, addr.hostname, () => resolve(null));
    });
    if (bound !== null) {
      socket.close();
      opts.log(`Bind to ${where} failed: ${bound.message}`);
      if (opts.once) return;
      await new Promise((r) => setTimeout(r, 5000));
      continue;
    }
    opts.onConnect?.();
    const reader = new CiscoDatagramImport();
    await new Promise<void>((resolve) => {
      const end = () => {
        opts.signal.removeEventListener("abort", end);
        socket.removeAllListeners("message");
        socket.close(() => resolve());
      };
      opts.signal.addEventListener("abort", end, { once: true });
      if (opts.signal.aborted) return end();
      socket.on(
        "message",
        (msg: Uint8Array, from: { address: string }) => {
          const records = reader.records(
            new Uint8Array(msg),
            ipv4Number(from.address),
            Date.now() / 1000,
          );
          if (records === null) return;
          const view = new DataView(records.buffer, records.byteOffset);
          for (let p = 0; p + 4 <= records.length;) {
            const length = view.getUint16(p + 2) * 4;
            if (visit(records, p, length, 0) === false) return end();
            p += length;
          }
          opts.onChunk?.();
        },
      );
    });
    return;
  }
}
