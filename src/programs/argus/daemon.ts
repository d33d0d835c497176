/**
 * argus(8) -d (ARGUS_DAEMON): run detached, in a session of its own. Deno
 * cannot fork, so the sensor starts itself again (same runtime, flags and
 * arguments) with ARGUS_TS_DAEMON_CHILD set; the parent relays what the
 * child prints until the child says capture runs (daemonReady), then
 * exits 0, or exits with the child's status if the child stops first.
 * @module
 */

import { reserveDevNull, stdioToDevNull } from "../../../ffi/mod.ts";
import { log } from "./debug_log.ts";

/** Set in the child's environment: the token its ready line carries. */
export const DAEMON_CHILD_ENV = "ARGUS_TS_DAEMON_CHILD";

/** Test hooks; the defaults are the process's own. */
export interface DaemonizeEnv {
  /**
   * Words before `args` in the child's arguments: the program name the
   * multi-call entry dispatches on. @default ["argus"]
   */
  leadingArgs?: readonly string[];
  /** Where the child's output before it is ready goes. */
  writeStdout?: (bytes: Uint8Array) => Promise<unknown>;
  writeStderr?: (bytes: Uint8Array) => Promise<unknown>;
}

/**
 * With -d, in the parent: starts the daemon and waits for it.
 * @returns the parent's exit status (0 once the daemon is ready), or null
 *   to carry on (no -d, or this is the daemon)
 */
export async function maybeDaemonize(
  args: readonly string[],
  opts: { daemon: boolean },
  env: DaemonizeEnv = {},
): Promise<number | null> {
  if (!opts.daemon) return null;
  if (daemonToken() !== undefined) {
    // The daemon: /dev/null is needed at daemonReady, maybe after -c.
    reserveDevNull();
    return null;
  }
  // A child that cannot read its token would take itself for the parent
  // and start another, and so on without end: refuse instead.
  if (!granted({ name: "env", variable: DAEMON_CHILD_ENV })) {
    log.error(
      `Cannot start the daemon: it needs env access to ${DAEMON_CHILD_ENV} (--allow-env)`,
    );
    return 1;
  }
  const writeStdout = env.writeStdout ?? ((b) => writeAll(Deno.stdout, b));
  const writeStderr = env.writeStderr ?? ((b) => writeAll(Deno.stderr, b));
  const token = `argus-ts-daemon-ready-${crypto.randomUUID()}`;
  const self = selfCommand([...(env.leadingArgs ?? ["argus"]), ...args]);

  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(self.path, {
      args: self.args,
      env: { [DAEMON_CHILD_ENV]: token },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
  } catch (e) {
    const why = e instanceof Deno.errors.NotCapable ||
        e instanceof Deno.errors.PermissionDenied
      ? "starting a process is not allowed (run with --allow-run)"
      : e instanceof Error
      ? e.message
      : String(e);
    log.error(`Cannot start the daemon: ${why}`);
    return 1;
  }

  // stderr is relayed as it comes, so an error line shows at once.
  const stderrDone = relay(child.stderr, writeStderr);
  const stdout = watchForToken(child.stdout, new TextEncoder().encode(token));
  const first = await Promise.race([
    stdout.ready.then((ok) => ok ? "ready" as const : "ended" as const),
    child.status.then(() => "exited" as const),
  ]);
  if (first === "ready") {
    // The daemon now points stderr at /dev/null: the pipe ends, and every
    // line written before the ready line has been relayed.
    await Promise.race([stderrDone, delay(10_000)]);
    const before = stdout.before();
    if (before.length > 0) await writeStdout(before);
    child.unref();
    await stdout.cancel();
    return 0;
  }
  const status = await child.status;
  await stderrDone;
  const rest = await stdout.done;
  if (rest.length > 0) await writeStdout(rest);
  if (await stdout.ready) return 0;
  if (status.success) return 0;
  if (status.signal !== null) {
    log.error(`The daemon was stopped by ${status.signal} before it started`);
  }
  return status.code === 0 ? 1 : status.code;
}

/** Whether this process is the daemon started by maybeDaemonize. */
export function isDaemonChild(): boolean {
  return daemonToken() !== undefined;
}

let readied = false;

/**
 * In the daemon, once capture runs: tells the parent (which then exits 0),
 * puts /dev/null on stdin, stdout and stderr for good, and sends the log
 * to syslog, as argus's daemon does. Elsewhere, and a second time, nothing.
 */
export function daemonReady(): void {
  const token = daemonToken();
  if (token === undefined || readied) return;
  readied = true;
  const line = new TextEncoder().encode(`${token}\n`);
  try {
    for (let off = 0; off < line.length;) {
      off += Deno.stdout.writeSync(line.subarray(off));
    }
  } catch {
    // The parent is gone (killed while waiting): run on regardless.
  }
  stdioToDevNull();
  log.toSyslog();
}

/**
 * The command that runs this program again with `args`: the executable,
 * then for `deno run` its subcommand, flags and script (read from
 * /proc/self/cmdline: what precedes Deno.args), then `args`. For a
 * compiled binary (or a link to it) that prefix is empty.
 */
export function selfCommand(
  args: readonly string[],
): { path: string; args: string[] } {
  const path = Deno.execPath();
  return { path, args: [...runtimeArgs(path), ...args] };
}

function runtimeArgs(execPath: string): string[] {
  try {
    const words = Deno.readTextFileSync("/proc/self/cmdline").split("\0");
    if (words.at(-1) === "") words.pop();
    const n = Deno.args.length;
    const tail = words.slice(words.length - n);
    if (words.length > n && tail.every((w, i) => w === Deno.args[i])) {
      return words.slice(1, words.length - n);
    }
  } catch {
    // No /proc or no read permission: rebuild the line below.
  }
  if (!/^deno(\.exe)?$/.test(execPath.slice(execPath.lastIndexOf("/") + 1))) {
    return [];
  }
  const flags = ["read", "write", "net", "env", "sys", "run", "ffi"]
    .filter((name) => granted({ name } as Deno.PermissionDescriptor))
    .map((name) => `--allow-${name}`);
  // Scoped env and sys (as dist/argus bakes in) pass on what is granted.
  const env = SCOPED_ENV.filter((variable) =>
    granted({ name: "env", variable })
  );
  const sys = SCOPED_SYS.filter((kind) => granted({ name: "sys", kind }));
  if (!flags.includes("--allow-env") && env.length > 0) {
    flags.push(`--allow-env=${env.join(",")}`);
  }
  if (!flags.includes("--allow-sys") && sys.length > 0) {
    flags.push(`--allow-sys=${sys.join(",")}`);
  }
  const main = Deno.mainModule.startsWith("file:")
    ? decodeURIComponent(new URL(Deno.mainModule).pathname)
    : Deno.mainModule;
  return ["run", ...flags, main];
}

/** Variables and sys kinds the programs read (scripts/baked_permissions.ts). */
const SCOPED_ENV = [
  DAEMON_CHILD_ENV,
  "ARGUS_LIBPCAP",
  "ARGUS_TS_DEBUG",
  "ARGUS_TS_HOSTS_ALLOW",
  "ARGUS_TS_HOSTS_DENY",
  "ARGUSHOME",
  "HOME",
  "POSIXLY_CORRECT",
];
const SCOPED_SYS = ["hostname", "uid", "gid"] as const;

function granted(desc: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(desc).state === "granted";
}

function daemonToken(): string | undefined {
  try {
    const token = Deno.env.get(DAEMON_CHILD_ENV);
    return token === undefined || token === "" ? undefined : token;
  } catch {
    return undefined; // no --allow-env: never started as a daemon
  }
}

/** Copies a stream to `write` until it ends; never throws. */
async function relay(
  stream: ReadableStream<Uint8Array>,
  write: (bytes: Uint8Array) => Promise<unknown>,
): Promise<void> {
  try {
    for await (const chunk of stream) await write(chunk);
  } catch {
    // The child's end went away: nothing more to relay.
  }
}

/**
 * Reads the child's stdout, keeping what precedes the ready token.
 * `ready` is true when the token arrives, false if the stream ends first;
 * `done` gives everything read once the stream ends.
 */
function watchForToken(stream: ReadableStream<Uint8Array>, token: Uint8Array) {
  const reader = stream.getReader();
  let buffered = new Uint8Array(0);
  let found = -1;
  let settle!: (ok: boolean) => void;
  const ready = new Promise<boolean>((resolve) => {
    settle = resolve;
  });
  const done = (async () => {
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        const joined = new Uint8Array(buffered.length + value.length);
        joined.set(buffered);
        joined.set(value, buffered.length);
        buffered = joined;
        if (found < 0) {
          found = indexOf(buffered, token);
          if (found >= 0) settle(true);
        }
      }
    } catch {
      // Cancelled or broken: what was read stands.
    }
    if (found < 0) settle(false);
    return found < 0 ? buffered : buffered.subarray(0, found);
  })();
  return {
    ready,
    done,
    before: () => found < 0 ? buffered : buffered.subarray(0, found),
    cancel: async () => {
      await reader.cancel().catch(() => {});
    },
  };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (haystack[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

async function writeAll(
  to: { write(p: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  for (let off = 0; off < bytes.length;) {
    off += await to.write(bytes.subarray(off));
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const id = setTimeout(resolve, ms);
    Deno.unrefTimer(id);
  });
}
