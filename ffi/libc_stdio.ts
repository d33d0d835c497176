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
} as const satisfies Deno.ForeignLibraryInterface;

const O_RDWR = 2;

/**
 * 0, 1, 2 and every other descriptor open on what 1 or 2 is open on
 * (the same /proc/self/fd link: the same pipe, terminal or file).
 */
function stdioDescriptors(): number[] {
  const fds = [0, 1, 2];
  try {
    const link = (fd: number | string) =>
      Deno.readLinkSync(`/proc/self/fd/${fd}`);
    const std = new Set([link(1), link(2)]);
    for (const entry of Deno.readDirSync("/proc/self/fd")) {
      const fd = Number(entry.name);
      if (fd <= 2) continue;
      try {
        if (std.has(link(fd))) fds.push(fd);
      } catch {
        // Closed meanwhile (the directory's own descriptor).
      }
    }
  } catch {
    // No /proc: the three standard descriptors only.
  }
  return fds;
}

/** dup2()s /dev/null onto standard input, output and error. */
export function stdioToDevNull(): void {
  const libc = openLibc(STDIO_SYMBOLS);
  const fd = libc.open(toCString("/dev/null"), O_RDWR);
  if (fd < 0) {
    throw new Error(`Cannot open "/dev/null": ${lastError().text}`);
  }
  for (const target of stdioDescriptors()) {
    if (libc.dup2(fd, target) < 0) {
      throw new Error(`dup2 onto ${target} failed: ${lastError().text}`);
    }
  }
  if (fd > 2) libc.close(fd);
}
