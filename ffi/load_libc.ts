/**
 * Opens the C library (glibc's libc.so.6) for one symbol table, once per
 * table: the identity, descriptor and syslog-socket bindings each load only
 * what they use. A failure, or FFI not allowed, is one sentence.
 * @module
 */

const LIBC_NAMES = ["libc.so.6", "libc.so"];

/** Loads `symbols` from the C library. */
export function openLibc<S extends Deno.ForeignLibraryInterface>(
  symbols: S,
): Deno.DynamicLibrary<S>["symbols"] {
  let last: unknown;
  for (const name of LIBC_NAMES) {
    try {
      return Deno.dlopen(name, symbols).symbols;
    } catch (e) {
      if (
        e instanceof Deno.errors.NotCapable ||
        e instanceof Deno.errors.PermissionDenied
      ) {
        throw new Error(
          "Cannot load the C library: FFI is not allowed (run with --allow-ffi)",
          { cause: e },
        );
      }
      last = e;
    }
  }
  throw new Error(
    `Cannot load the C library (tried ${LIBC_NAMES.join(", ")})`,
    { cause: last },
  );
}

const ERRNO_SYMBOLS = {
  /** int *__errno_location(void): this thread's errno */
  __errno_location: { parameters: [], result: "pointer" },
  /** char *strerror(int errnum) */
  strerror: { parameters: ["i32"], result: "pointer" },
} as const;

let errnoSymbols: Deno.DynamicLibrary<typeof ERRNO_SYMBOLS>["symbols"] | null =
  null;

/**
 * errno and its strerror() text, read right after a failed call: FFI calls
 * that are not `nonblocking` run on this thread, so errno is still theirs.
 */
export function lastError(): { errno: number; text: string } {
  errnoSymbols ??= openLibc(ERRNO_SYMBOLS);
  const p = errnoSymbols.__errno_location();
  const errno = p === null ? 0 : new Deno.UnsafePointerView(p).getInt32(0);
  const s = errnoSymbols.strerror(errno);
  return {
    errno,
    text: s === null ? `errno ${errno}` : Deno.UnsafePointerView.getCString(s),
  };
}
