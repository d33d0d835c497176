/**
 * Our sensor and the real argus capturing live (`argus -X -i DEV -w FILE`)
 * side by side in one namespace of a NetnsPair: start, wait until each has
 * opened its output, stop with a signal. `ARGUS_TS_LIVE_OURS=/usr/sbin/argus`
 * puts the real argus in our place, to check the harness itself.
 * @module
 */

import type { NetnsPair, NsProcess, NsRan, Side } from "./netns.ts";

/** main.ts of this checkout. */
export const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** The real sensor. */
export const REAL_ARGUS = "/usr/sbin/argus";

/** Which implementation. */
export type SensorKind = "ours" | "real";

/** The command line of a sensor with `args` (argus options). */
export function sensorCommand(kind: SensorKind, args: string[]): string[] {
  if (kind === "real") return [REAL_ARGUS, ...args];
  const stand = Deno.env.get("ARGUS_TS_LIVE_OURS");
  if (stand) return [stand, ...args];
  return [Deno.execPath(), "run", "-A", MAIN, "argus", ...args];
}

/** A sensor capturing on one end of a pair. */
export class LiveSensor {
  readonly kind: SensorKind;
  readonly file: string;
  readonly proc: NsProcess;

  private constructor(kind: SensorKind, file: string, proc: NsProcess) {
    this.kind = kind;
    this.file = file;
    this.proc = proc;
  }

  /**
   * Starts `argus -X -i <veth of side> -w file ...extra` inside that side's
   * namespace (filter words go last in `extra`).
   */
  static start(
    pair: NetnsPair,
    kind: SensorKind,
    file: string,
    extra: string[] = [],
    side: Side = "b",
  ): LiveSensor {
    const dev = side === "a" ? pair.vethA : pair.vethB;
    const args = ["-X", "-i", dev, "-w", file, ...extra];
    const proc = pair.spawn(side, sensorCommand(kind, args), { label: kind });
    return new LiveSensor(kind, file, proc);
  }

  /**
   * Waits until the output file holds the opening management record (128
   * bytes), the sign the capture is open; throws if the sensor exits first.
   */
  async ready(timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.proc.exited) {
        const r = await this.proc.wait();
        throw new Error(
          `The ${this.kind} sensor exited with ${r.code} before capturing: ${r.stderr.trim()}`,
        );
      }
      try {
        if (Deno.statSync(this.file).size >= 128) return;
      } catch {
        // Not created yet.
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`The ${this.kind} sensor did not open "${this.file}"`);
  }

  /** Sends `signal` and waits for the exit (SIGKILL after the grace time). */
  stop(
    signal: Deno.Signal = "SIGTERM",
    graceMs = 15_000,
  ): Promise<NsRan & { timedOut: boolean }> {
    return this.proc.stop(signal, graceMs);
  }
}

const STAMP_HOLDER = `
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_TIMESTAMP", 29), 1)
print("on", flush=True)
time.sleep(3600)
`;

/**
 * Keeps the kernel stamping each packet once, on arrival, while the pair
 * lives. Otherwise (no socket on the host asked for SO_TIMESTAMP) packets
 * crossing a veth carry no stamp and every packet socket stamps its own copy
 * when it gets it: two sensors on one veth then disagree by microseconds
 * (measured: 2-20 µs between two real argus). Any one socket with
 * SO_TIMESTAMP turns the kernel-wide stamp on.
 */
export async function stampPacketsOnce(pair: NetnsPair): Promise<void> {
  pair.spawn("b", ["python3", "-c", STAMP_HOLDER], { label: "stamp holder" });
  // The kernel turns the stamp on from a work queue, just after the call.
  await new Promise((r) => setTimeout(r, 200));
}

/**
 * Starts several sensors and waits until all are capturing, plus `settleMs`
 * for the capture handles to be live after the file appears.
 */
export async function startSensors(
  pair: NetnsPair,
  specs: { kind: SensorKind; file: string; extra?: string[] }[],
  settleMs = 1000,
): Promise<LiveSensor[]> {
  await stampPacketsOnce(pair);
  const sensors = specs.map((s) =>
    LiveSensor.start(pair, s.kind, s.file, s.extra ?? [])
  );
  await Promise.all(sensors.map((s) => s.ready()));
  await new Promise((r) => setTimeout(r, settleMs));
  return sensors;
}
