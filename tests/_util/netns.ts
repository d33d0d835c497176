/**
 * Two network namespaces joined by a veth pair, for live-capture tests of
 * `argus -i`: created with unique names from a caller's prefix, commands and
 * background processes run inside them, and one cleanup (also `await using`)
 * that kills what was started and deletes both namespaces, even after a
 * failure. Traffic never leaves the pair.
 * @module
 */

/** Result of running a command to completion. */
export interface NsRan {
  code: number;
  stdout: string;
  stderr: string;
}

/** A process started in the background inside a namespace. */
export class NsProcess {
  readonly pid: number;
  readonly label: string;
  #child: Deno.ChildProcess;
  #done: Promise<NsRan>;
  #result: NsRan | null = null;

  constructor(label: string, child: Deno.ChildProcess) {
    this.label = label;
    this.pid = child.pid;
    this.#child = child;
    // output() both waits and drains the pipes, so a chatty process never
    // blocks on a full pipe and the test sanitizer sees no open resource.
    this.#done = child.output().then((o) => {
      const dec = new TextDecoder();
      this.#result = {
        code: o.signal ? 128 + signalNumber(o.signal) : o.code,
        stdout: dec.decode(o.stdout),
        stderr: dec.decode(o.stderr),
      };
      return this.#result;
    });
  }

  /** The stdin writer, when the process was started with `stdin: true`. */
  get stdin(): WritableStream<Uint8Array> {
    return this.#child.stdin;
  }

  /** Whether the process has exited. */
  get exited(): boolean {
    return this.#result !== null;
  }

  /** Sends a signal; a process that already ended is not an error. */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    if (this.#result) return;
    try {
      this.#child.kill(signal);
    } catch {
      // Exited between the check and the kill.
    }
  }

  /** Waits for the exit: code (128+signal when killed), stdout, stderr. */
  wait(): Promise<NsRan> {
    return this.#done;
  }

  /**
   * Sends `signal`, waits up to `graceMs`, then SIGKILLs. Returns the exit
   * and whether the grace period was enough.
   */
  async stop(
    signal: Deno.Signal = "SIGTERM",
    graceMs = 15_000,
  ): Promise<NsRan & { timedOut: boolean }> {
    this.kill(signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), graceMs);
    });
    const first = await Promise.race([this.#done, late]);
    clearTimeout(timer);
    if (first) return { ...first, timedOut: false };
    this.kill("SIGKILL");
    return { ...(await this.#done), timedOut: true };
  }
}

function signalNumber(s: Deno.Signal): number {
  const table: Partial<Record<Deno.Signal, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGTERM: 15,
    SIGABRT: 6,
    SIGSEGV: 11,
  };
  return table[s] ?? 0;
}

/** Options of a namespace pair. */
export interface NetnsPairOptions {
  /**
   * Second and third octets of the 10.x.y.0/24 subnet.
   * @default derived from the prefix
   */
  subnet?: [number, number];
  /**
   * Keep IPv6 on: the kernel then sends router solicitations and MLD
   * reports on its own, at times no test controls.
   * @default false
   */
  ipv6?: boolean;
  /**
   * Permanent neighbour entries on both sides, so no ARP exchange appears
   * in the middle of (or after) a test's traffic.
   * @default true
   */
  staticArp?: boolean;
  /**
   * MTU of both veth ends; raise it to replay captures holding jumbo or
   * offloaded (GSO) frames.
   * @default 1500
   */
  mtu?: number;
}

/** Which end of the pair. */
export type Side = "a" | "b";

/**
 * Namespaces `a` and `b`, veth `vethA` (10.x.y.1, in a) and `vethB`
 * (10.x.y.2, in b), links up.
 */
export class NetnsPair implements AsyncDisposable {
  readonly a: string;
  readonly b: string;
  readonly vethA: string;
  readonly vethB: string;
  readonly ipA: string;
  readonly ipB: string;
  readonly macA: string;
  readonly macB: string;
  #procs: NsProcess[] = [];
  #cleaned = false;

  private constructor(prefix: string, subnet: [number, number]) {
    // Namespace names may be long; interface names stop at 15 bytes.
    const tag = `${prefix}${Deno.pid % 100000}`;
    this.a = `${tag}-a`;
    this.b = `${tag}-b`;
    this.vethA = `${tag}a`;
    this.vethB = `${tag}b`;
    this.ipA = `10.${subnet[0]}.${subnet[1]}.1`;
    this.ipB = `10.${subnet[0]}.${subnet[1]}.2`;
    const hex = (n: number) => n.toString(16).padStart(2, "0");
    this.macA = `02:${hex(subnet[0])}:${hex(subnet[1])}:00:00:01`;
    this.macB = `02:${hex(subnet[0])}:${hex(subnet[1])}:00:00:02`;
  }

  /**
   * Creates the pair. `prefix` (1-6 letters or digits) names everything and
   * must be unique per test file.
   */
  static async create(
    prefix: string,
    options: NetnsPairOptions = {},
  ): Promise<NetnsPair> {
    if (!/^[a-z][a-z0-9]{0,5}$/.test(prefix)) {
      throw new RangeError(`Invalid namespace prefix "${prefix}"`);
    }
    const pair = new NetnsPair(prefix, options.subnet ?? subnetOf(prefix));
    try {
      await pair.#setUp(options);
    } catch (e) {
      await pair.cleanup();
      throw e;
    }
    return pair;
  }

  async #setUp(o: NetnsPairOptions): Promise<void> {
    // A namespace left over from a killed run of this same process id.
    await ip(["netns", "del", this.a], true);
    await ip(["netns", "del", this.b], true);
    await ip(["netns", "add", this.a]);
    await ip(["netns", "add", this.b]);
    await ip([
      "link",
      "add",
      this.vethA,
      "address",
      this.macA,
      "type",
      "veth",
      "peer",
      "name",
      this.vethB,
      "address",
      this.macB,
    ]);
    const ends: [string, string, string, string][] = [
      [this.a, this.vethA, this.ipA, this.macB],
      [this.b, this.vethB, this.ipB, this.macA],
    ];
    for (const [ns, dev, addr] of ends) {
      await ip(["link", "set", dev, "netns", ns]);
      if (!o.ipv6) {
        await this.#sysctl(ns, [
          "net.ipv6.conf.all.disable_ipv6=1",
          "net.ipv6.conf.default.disable_ipv6=1",
          `net.ipv6.conf.${dev}.disable_ipv6=1`,
        ]);
      }
      await ip(["-n", ns, "addr", "add", `${addr}/24`, "dev", dev]);
    }
    for (const [ns, dev, , peerMac] of ends) {
      const peerIp = ns === this.a ? this.ipB : this.ipA;
      if (o.staticArp ?? true) {
        await ip([
          "-n",
          ns,
          "neigh",
          "replace",
          peerIp,
          "lladdr",
          peerMac,
          "dev",
          dev,
          "nud",
          "permanent",
        ]);
      }
      if (o.mtu) {
        await ip(["-n", ns, "link", "set", dev, "mtu", String(o.mtu)]);
      }
      await ip(["-n", ns, "link", "set", "lo", "up"]);
      await ip(["-n", ns, "link", "set", dev, "up"]);
    }
  }

  async #sysctl(ns: string, settings: string[]): Promise<void> {
    const r = await this.exec(ns, ["sysctl", "-q", "-w", ...settings]);
    if (r.code !== 0) {
      throw new Error(`Cannot set sysctl in "${ns}": ${r.stderr.trim()}`);
    }
  }

  /** The namespace name of a side. */
  ns(side: Side): string {
    return side === "a" ? this.a : this.b;
  }

  /** Runs a command inside namespace `ns` (a name, or "a"/"b") to its end. */
  async exec(
    ns: string,
    args: string[],
    options: { stdin?: Uint8Array; cwd?: string } = {},
  ): Promise<NsRan> {
    const child = new Deno.Command("ip", {
      args: ["netns", "exec", this.#resolve(ns), ...args],
      stdin: options.stdin ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
      ...(options.cwd ? { cwd: options.cwd } : {}),
    }).spawn();
    const feeding = options.stdin
      ? (async () => {
        const w = child.stdin.getWriter();
        await w.write(options.stdin);
        await w.close();
      })()
      : Promise.resolve();
    const [out] = await Promise.all([child.output(), feeding]);
    const dec = new TextDecoder();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
    };
  }

  /**
   * Starts a command in the background inside `ns`; cleanup kills it. The
   * process is the command itself (`ip netns exec` execs it), so signals
   * sent to the handle reach it directly.
   */
  spawn(
    ns: string,
    args: string[],
    options: { stdin?: boolean; cwd?: string; label?: string } = {},
  ): NsProcess {
    const child = new Deno.Command("ip", {
      args: ["netns", "exec", this.#resolve(ns), ...args],
      stdin: options.stdin ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
      ...(options.cwd ? { cwd: options.cwd } : {}),
    }).spawn();
    const p = new NsProcess(options.label ?? args.join(" "), child);
    this.#procs.push(p);
    return p;
  }

  #resolve(ns: string): string {
    return ns === "a" ? this.a : ns === "b" ? this.b : ns;
  }

  /**
   * Kills every process started here (SIGKILL for those still running),
   * then anything else left inside the namespaces, then deletes them (the
   * veth pair goes with them). Safe to call twice.
   */
  async cleanup(): Promise<void> {
    if (this.#cleaned) return;
    this.#cleaned = true;
    for (const p of this.#procs) p.kill("SIGKILL");
    await Promise.all(this.#procs.map((p) => p.wait()));
    for (const ns of [this.a, this.b]) {
      const pids = await ip(["netns", "pids", ns], true);
      for (const pid of pids.stdout.split(/\s+/).filter((s) => s)) {
        try {
          Deno.kill(Number(pid), "SIGKILL");
        } catch {
          // Gone already.
        }
      }
      await ip(["netns", "del", ns], true);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.cleanup();
  }
}

/** A 10.x.y subnet from the prefix, so pairs in one host rarely share one. */
function subnetOf(prefix: string): [number, number] {
  let h = 2166136261;
  for (const c of prefix) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  h >>>= 0;
  return [100 + (h % 150), (h >>> 8) % 250 + 1];
}

async function ip(args: string[], tolerant = false): Promise<NsRan> {
  const out = await new Deno.Command("ip", {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  const r = {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
  if (r.code !== 0 && !tolerant) {
    throw new Error(
      `Command "ip ${args.join(" ")}" failed: ${r.stderr.trim()}`,
    );
  }
  return r;
}

/**
 * Why namespace tests cannot run here (not root, no `ip netns`, a tool
 * missing), or null when they can. Callers print the reason and mark their
 * tests ignored, so a skip is never a silent pass.
 */
export async function netnsUnavailable(
  tools: string[] = [],
): Promise<string | null> {
  if (Deno.build.os !== "linux") return "network namespaces need Linux";
  if (Deno.uid() !== 0) return "network namespaces need root";
  for (const t of ["ip", ...tools]) {
    const w = await new Deno.Command("sh", {
      args: ["-c", `command -v ${t}`],
      stdout: "null",
      stderr: "null",
    }).output();
    if (w.code !== 0) return `${t} is not installed`;
  }
  // Test files run in parallel in one process: the pid alone collides.
  const probe = `nsprobe${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const add = await ip(["netns", "add", probe], true);
  if (add.code !== 0) return `ip netns add failed: ${add.stderr.trim()}`;
  await ip(["netns", "del", probe], true);
  return null;
}

/** Prints the skip line once and says whether to ignore a file's tests. */
export function reportSkip(file: string, reason: string | null): boolean {
  if (reason) console.log(`${file}: skipped: ${reason}`);
  return reason !== null;
}
