/**
 * Finds and loads libpcap once, on first use: $ARGUS_LIBPCAP, then the
 * Debian soname, then the other usual names. If none loads, one sentence
 * says which names were tried.
 * @module
 */

import { LIBPCAP_SYMBOLS, type LibpcapSymbols } from "./libpcap_symbols.ts";

/** Names tried in order after $ARGUS_LIBPCAP. */
export const LIBPCAP_NAMES = ["libpcap.so.0.8", "libpcap.so.1", "libpcap.so"];

let loaded: LibpcapSymbols | null = null;

/** libpcap could not be loaded. */
export class LibpcapLoadError extends Error {
  override readonly name = "LibpcapLoadError";
}

/** The libpcap symbols, loading the library the first time. */
export function libpcap(): LibpcapSymbols {
  if (loaded !== null) return loaded;
  const names = [...LIBPCAP_NAMES];
  let override: string | undefined;
  try {
    override = Deno.env.get("ARGUS_LIBPCAP");
  } catch {
    // Without env permission only the usual names are tried.
  }
  if (override) names.unshift(override);
  for (const name of names) {
    try {
      loaded = Deno.dlopen(name, LIBPCAP_SYMBOLS).symbols;
      return loaded;
    } catch (e) {
      if (e instanceof Deno.errors.PermissionDenied) {
        throw new LibpcapLoadError(
          "Cannot load libpcap: FFI is not permitted (run with --allow-ffi)",
          { cause: e },
        );
      }
    }
  }
  throw new LibpcapLoadError(
    `Cannot load libpcap: tried ${names.join(", ")} (install libpcap0.8)`,
  );
}
