/**
 * Points the standard descriptors 0, 1 and 2 at /dev/null, as a daemon
 * does once it has detached (argus(8) -d reopens stdout and stderr on
 * /dev/null): later writes succeed and go nowhere, instead of failing on a
 * pipe whose reader is gone. Deno keeps its own duplicates of 1 and 2;
 * they are pointed at /dev/null too, so the pipes really close.
 * @module
 */

import { toCString } from "./c_string.ts";
import { lastError, openLibc } from "./load_libc.ts";

const STDIO_SYMBOLS = {
  /** int open(const char *path, int flags) */
  open: { parameters: ["buffer", "i32"], result: "i32" },
  /** int dup2(int oldfd, int newfd) */
  dup2: { parameters: ["i32", "i32"], result: "i32" },
  /** int close(int fd) */
  close: { parameters: ["i32"], result: "i32" },
  /** int fstat(int fd, struct stat *buf) (glibc 2.33+) */
  fstat: { parameters: ["i32", "buffer"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

type Libc = Deno.DynamicLibrary<typeof STDIO_SYMBOLS>["symbols"];

const O_RDWR = 2;
const O_CLOEXEC = 0o2000000;

/** Descriptors looked at for duplicates of 1 and 2 (Deno's are low). */
const SCAN_LIMIT = 1024;

/**
 * 0, 1, 2 and every other descriptor open on the same file as 1 or 2
 * (same st_dev and st_ino: the same pipe, terminal or file). fstat, not
 * /proc/self/fd, which Deno allows only under --allow-all.
 */
function stdioDescriptors(libc: Libc): number[] {
  // struct stat begins { dev_t st_dev; ino_t st_ino; ... } on x86-64 and
  // arm64 glibc alike; 256 bytes covers the whole struct on both.
  const stat = new BigUint64Array(32);
  const bytes = new Uint8Array(stat.buffer);
  const identity = (fd: number) =>
    libc.fstat(fd, bytes) === 0 ? `${stat[0]}:${stat[1]}` : undefined;
  const std = new Set([identity(1), identity(2)]);
  std.delete(undefined);
  const fds = [0, 1, 2];
  for (let fd = 3; fd < SCAN_LIMIT; fd++) {
    const id = identity(fd);
    if (id !== undefined && std.has(id)) fds.push(fd);
  }
  return fds;
}

let reserved = -1;

/**
 * Opens /dev/null now and keeps it for stdioToDevNull, for a process
 * that may chroot (where there is no /dev/null) before it detaches.
 */
export function reserveDevNull(): void {
  if (reserved >= 0) return;
  const libc = openLibc(STDIO_SYMBOLS);
  reserved = libc.open(toCString("/dev/null"), O_RDWR | O_CLOEXEC);
  if (reserved < 0) {
    throw new Error(`Cannot open "/dev/null": ${lastError().text}`);
  }
}

/** dup2()s /dev/null onto standard input, output and error. */
export function stdioToDevNull(): void {
  const libc = openLibc(STDIO_SYMBOLS);
  const fd = reserved >= 0
    ? reserved
    : libc.open(toCString("/dev/null"), O_RDWR);
  if (fd < 0) {
    throw new Error(`Cannot open "/dev/null": ${lastError().text}`);
  }
  for (const target of stdioDescriptors(libc)) {
    if (target !== fd && libc.dup2(fd, target) < 0) {
      throw new Error(`dup2 onto ${target} failed: ${lastError().text}`);
    }
  }
  if (fd > 2) libc.close(fd);
  reserved = -1;
}
