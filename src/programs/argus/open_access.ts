/**
 * The argus -P access port, opened before the first packet on every -B
 * address (argus ArgusEstablishListen): null without -P, else a listening
 * AccessServer; a port or address that cannot be bound is one sentence.
 * @module
 */

import { AccessServer } from "../../output/access_server.ts";
import type { ArgusOptions } from "./options.ts";

/** argus's ARGUS_MAXLISTEN: remote clients and -w outputs together. */
const MAX_LISTEN = 10;

/**
 * Listens on opts.accessPort at each opts.bindAddresses (all IPv4
 * addresses without -B, as argus 3.0.8.2 does).
 * @param openingMar the MAR a new client gets first
 * @param log one line per refusal, drop or connection
 * @throws Error with one line when a listener cannot be set up
 */
export function openAccess(
  opts: ArgusOptions,
  openingMar: () => Uint8Array,
  log: (line: string) => void,
): Promise<AccessServer | null> {
  if (opts.accessPort === 0) return Promise.resolve(null);
  const port = opts.accessPort;
  const addresses = opts.bindAddresses.map((a) => a === "any" ? "0.0.0.0" : a);
  try {
    return Promise.resolve(
      new AccessServer({
        port,
        addresses,
        openingMar,
        log,
        maxClients: Math.max(0, MAX_LISTEN - opts.outputs.length),
      }),
    );
  } catch (e) {
    return Promise.reject(new Error(listenFailure(port, addresses, e)));
  }
}

/** The one sentence for a listener that could not be set up. */
function listenFailure(
  port: number,
  addresses: readonly string[],
  e: unknown,
): string {
  const where = addresses.length === 0
    ? `port ${port}`
    : `${addresses.join(", ")} port ${port}`;
  if (e instanceof Deno.errors.AddrInUse) {
    return `Cannot listen on ${where}: address already in use`;
  }
  if (e instanceof Deno.errors.AddrNotAvailable) {
    return `Cannot listen on ${where}: not an address of this host`;
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return `Cannot listen on ${where}: permission denied`;
  }
  const why = e instanceof Error ? e.message : String(e);
  if (/lookup|invalid host|Name or service/i.test(why)) {
    return `Cannot listen on ${where}: unknown bind address`;
  }
  return `Cannot listen on ${where}: ${why}`;
}
