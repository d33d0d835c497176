/**
 * The daemon's pid file (argus.conf(5) ARGUS_SET_PID, ARGUS_PID_PATH):
 * `<dir>/argus.<device>.<n>.pid` holding "<pid>\n", where n is the first of
 * 0..4 not held by a live process (argus's ArgusCreatePIDFile; checked with
 * argus 3.0.8.2: five instances on lo take .0 to .4, a sixth refuses to
 * start). The dir defaults to /var/run. Removed when the sensor stops.
 * @module
 */

import { processExists } from "../../../ffi/mod.ts";

/** argus's ARGUS_MAX_INSTANCES: pid file numbers 0 to 4. */
export const MAX_INSTANCES = 5;

/** What names the pid file and what goes in it. */
export interface PidFileOptions {
  /** ARGUS_PID_PATH. @default "/var/run" (if it exists) */
  dir?: string;
  /** The capture device (its last path part is used). */
  device: string;
  /** @default "argus" */
  program?: string;
  /** @default Deno.pid */
  pid?: number;
  /** Whether a process runs (tests). @default kill(pid, 0) */
  isRunning?: (pid: number) => boolean;
}

/** A pid file this process wrote. */
export class PidFile {
  readonly path: string;
  readonly pid: number;
  #removed = false;
  readonly #onUnload = () => this.remove();

  constructor(path: string, pid: number) {
    this.path = path;
    this.pid = pid;
    // A safety net for exits that skip the caller's cleanup (Deno.exit).
    globalThis.addEventListener("unload", this.#onUnload);
  }

  /**
   * Removes the file if it still holds our pid (after chroot the same
   * path names another file; after -u the directory may be closed to us,
   * which leaves a stale file that the next start reuses, as argus does).
   * @returns whether the file was removed
   */
  remove(): boolean {
    if (this.#removed) return false;
    this.#removed = true;
    globalThis.removeEventListener("unload", this.#onUnload);
    try {
      if (readPid(this.path) !== this.pid) return false;
      Deno.removeSync(this.path);
      return true;
    } catch {
      return false;
    }
  }

  [Symbol.dispose](): void {
    this.remove();
  }
}

/** `<dir>/<program>.<device>.<n>.pid`, the device after its last "/". */
export function pidFileName(
  dir: string,
  program: string,
  device: string,
  n: number,
): string {
  const dev = device.slice(device.lastIndexOf("/") + 1);
  return `${dir.replace(/\/+$/, "") || "/"}/${program}.${dev}.${n}.pid`
    .replace(/^\/\//, "/");
}

/**
 * Writes the pid file in the first free slot.
 * @throws Error (one line) when there is no directory, every slot is held
 *   by a running process, or the file cannot be written
 */
export function createPidFile(options: PidFileOptions): PidFile {
  const program = options.program ?? "argus";
  const pid = options.pid ?? Deno.pid;
  const isRunning = options.isRunning ?? processRuns;
  const dir = options.dir ?? defaultDir();
  if (dir === undefined) {
    throw new Error(
      "Cannot create the pid file: /var/run does not exist (set ARGUS_PID_PATH)",
    );
  }
  for (let n = 0; n < MAX_INSTANCES; n++) {
    const path = pidFileName(dir, program, options.device, n);
    let held: number | undefined;
    try {
      held = readPid(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) {
        throw new Error(`Cannot read pid file "${path}": ${reason(e)}`);
      }
      // No file: take it, unless another instance creates it first.
      try {
        Deno.writeTextFileSync(path, `${pid}\n`, { createNew: true });
        return new PidFile(path, pid);
      } catch (e) {
        if (e instanceof Deno.errors.AlreadyExists) continue;
        throw new Error(`Cannot create pid file "${path}": ${reason(e)}`);
      }
    }
    // argus reuses a file whose pid is not a running process.
    if (held !== undefined && held !== pid && isRunning(held)) continue;
    try {
      Deno.writeTextFileSync(path, `${pid}\n`);
      return new PidFile(path, pid);
    } catch (e) {
      throw new Error(`Cannot create pid file "${path}": ${reason(e)}`);
    }
  }
  throw new Error(
    `Cannot create a pid file: ${program} already runs ${MAX_INSTANCES} times on "${options.device}" (${
      pidFileName(dir, program, options.device, 0)
    } to .${MAX_INSTANCES - 1}.pid)`,
  );
}

/** The pid a file holds (argus reads a leading decimal number), if any. */
function readPid(path: string): number | undefined {
  const m = /^\s*(\d+)/.exec(Deno.readTextFileSync(path));
  if (!m) return undefined;
  const pid = Number(m[1]);
  return pid > 0 && pid < 100_000_000 ? pid : undefined;
}

/** kill(pid, 0), as argus checks; without FFI, /proc (under -A). */
function processRuns(pid: number): boolean {
  try {
    return processExists(pid);
  } catch {
    try {
      Deno.statSync(`/proc/${pid}`);
      return true;
    } catch {
      return false;
    }
  }
}

function defaultDir(): string | undefined {
  try {
    return Deno.statSync("/var/run").isDirectory ? "/var/run" : undefined;
  } catch {
    return undefined;
  }
}

function reason(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such directory";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  return e instanceof Error ? e.message : String(e);
}
