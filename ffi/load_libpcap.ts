/**
 * Finds and loads libpcap once, on first use (programs that never capture
 * or compile a filter, like ra, never load it): $ARGUS_LIBPCAP first, then
 * the Debian soname, then the other usual names. If none loads, one
 * sentence names what was tried.
 * @module
 */

import { fromCString } from "./c_string.ts";
import { LIBPCAP_SYMBOLS, type LibpcapSymbols } from "./libpcap_symbols.ts";
import { PcapError } from "./pcap_error.ts";

/** Library names tried, in order, after $ARGUS_LIBPCAP. */
export const LIBPCAP_NAMES: readonly string[] = [
  "libpcap.so.0.8",
  "libpcap.so.1",
  "libpcap.so",
];

let loaded: LibpcapSymbols | null = null;

/** The libpcap functions, loading the library the first time. */
export function libpcap(): LibpcapSymbols {
  if (loaded === null) {
    const override = envOverride();
    loaded = openLibpcap(
      override === "" ? LIBPCAP_NAMES : [override, ...LIBPCAP_NAMES],
    ).symbols;
  }
  return loaded;
}

/**
 * Opens the first of `names` that loads (the loader behind `libpcap()`,
 * separate so the failure can be tested).
 * @throws PcapError (source "libpcap") when none loads
 */
export function openLibpcap(
  names: readonly string[],
): Deno.DynamicLibrary<typeof LIBPCAP_SYMBOLS> {
  let last: unknown;
  for (const name of names) {
    try {
      return Deno.dlopen(name, LIBPCAP_SYMBOLS);
    } catch (e) {
      if (
        e instanceof Deno.errors.NotCapable ||
        e instanceof Deno.errors.PermissionDenied
      ) {
        throw new PcapError(
          "libpcap",
          "Cannot load libpcap: FFI is not allowed (run with --allow-ffi)",
          { cause: e },
        );
      }
      last = e;
    }
  }
  throw new PcapError(
    "libpcap",
    `Cannot load libpcap: tried ${names.join(", ")} (install libpcap0.8)`,
    { cause: last },
  );
}

/** pcap_lib_version(), e.g. "libpcap version 1.10.3 (with TPACKET_V3)". */
export function libpcapVersion(): string {
  return fromCString(libpcap().pcap_lib_version());
}

function envOverride(): string {
  try {
    return Deno.env.get("ARGUS_LIBPCAP") ?? "";
  } catch {
    // Without --allow-env only the usual names are tried.
    return "";
  }
}
