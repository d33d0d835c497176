/**
 * Hands the memory C's allocator holds free back to the system (glibc's
 * malloc_trim). V8 compiles the sensor's hot code on helper threads, and
 * glibc keeps what those compilations freed in per-thread arenas: 6-10 MB
 * of the sensor's peak RSS on a million packets, never reused by the main
 * thread. Where there is no malloc_trim (musl, other C libraries) or FFI
 * is not allowed, trimming does nothing.
 * @module
 */

import { openLibc } from "./load_libc.ts";

const TRIM_SYMBOLS = {
  /** int malloc_trim(size_t pad) */
  malloc_trim: { parameters: ["usize"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

let loaded: Deno.DynamicLibrary<typeof TRIM_SYMBOLS>["symbols"] | null = null;
let unavailable = false;

/** Trims every malloc arena; false when this C library cannot. */
export function trimMallocArenas(): boolean {
  if (unavailable) return false;
  try {
    loaded ??= openLibc(TRIM_SYMBOLS);
  } catch {
    unavailable = true;
    return false;
  }
  loaded.malloc_trim(0n);
  return true;
}
