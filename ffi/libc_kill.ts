/**
 * Whether a process exists: kill(pid, 0), which sends nothing (argus's
 * pid file check). Deno.kill has no signal 0, and /proc needs
 * --allow-all under Deno's permissions.
 * @module
 */

import { lastError, openLibc } from "./load_libc.ts";

const KILL_SYMBOLS = {
  /** int kill(pid_t pid, int sig) */
  kill: { parameters: ["i32", "i32"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

let loaded: Deno.DynamicLibrary<typeof KILL_SYMBOLS>["symbols"] | null = null;

const EPERM = 1;

/** True when `pid` is a process (a zombie, or one we may not signal, too). */
export function processExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid > 0x7fffffff) return false;
  loaded ??= openLibc(KILL_SYMBOLS);
  if (loaded.kill(pid, 0) === 0) return true;
  return lastError().errno === EPERM;
}
