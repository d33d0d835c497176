/**
 * NetFlow test traffic for `-S cisco://` sources: the UDP payloads of a
 * capture's export packets (tests/testdata/netflow/), sent on the loopback
 * to a port where a client reads them, and long-running children (the real
 * and our ra/radium) whose output is kept until they are stopped.
 * @module
 */

import dgram from "node:dgram";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** The UDP payloads of a pcap of Ethernet/IPv4 packets, in order. */
export async function udpPayloads(pcap: string): Promise<Uint8Array[]> {
  const d = await Deno.readFile(pcap);
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const out: Uint8Array[] = [];
  for (let p = 24; p + 16 <= d.length;) {
    const caplen = v.getUint32(p + 8, true);
    const pkt = p + 16;
    p = pkt + caplen;
    const ip = pkt + 14;
    if (v.getUint16(pkt + 12) !== 0x0800 || d[ip + 9] !== 17) continue;
    const udp = ip + (d[ip]! & 0x0f) * 4;
    out.push(d.slice(udp + 8, udp + v.getUint16(udp + 4)));
  }
  return out;
}

/** Sends `payloads` to 127.0.0.1:`port`, a little apart. */
export async function sendDatagrams(
  payloads: Uint8Array[],
  port: number,
): Promise<void> {
  const s = dgram.createSocket("udp4");
  try {
    for (const m of payloads) {
      await new Promise<void>((resolve, reject) =>
        s.send(m, port, "127.0.0.1", (e) => e ? reject(e) : resolve())
      );
      await new Promise((r) => setTimeout(r, 30));
    }
  } finally {
    s.close();
  }
}

/** Waits until something listens on `port` (UDP or TCP), up to `ms`. */
export async function waitListening(
  port: number,
  proto: "udp" | "tcp",
  ms = 15000,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const out = await new Deno.Command("ss", {
      args: [proto === "udp" ? "-Hunl" : "-Htnl", `sport = :${port}`],
      stdout: "piped",
      stderr: "null",
    }).output();
    if (new TextDecoder().decode(out.stdout).trim() !== "") return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Nothing listens on ${proto} port ${port}`);
}

/** A running child whose output is collected until `stop()`. */
export class CiscoChild {
  readonly #child: Deno.ChildProcess;
  readonly #out: Promise<Deno.CommandOutput>;

  /** `cmd` "ours:NAME" runs our NAME (deno run main.ts NAME). */
  constructor(cmd: string, args: string[]) {
    const ours = cmd.startsWith("ours:");
    this.#child = new Deno.Command(ours ? Deno.execPath() : cmd, {
      args: ours ? ["run", "-A", MAIN, cmd.slice(5), ...args] : args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#out = this.#child.output();
  }

  /** Ends it (SIGTERM, as ra flushes on it) and returns what it wrote. */
  async stop(): Promise<{ stdout: string; stderr: string }> {
    try {
      this.#child.kill("SIGTERM");
    } catch {
      // Ended already.
    }
    const out = await this.#out;
    const dec = new TextDecoder();
    return { stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  }
}
