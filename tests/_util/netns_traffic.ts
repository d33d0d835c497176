/**
 * Traffic between the two ends of a NetnsPair for live-capture tests:
 * ping, a TCP exchange or a held-open TCP connection (OpenBSD nc), a UDP
 * request/reply exchange (python3), and a tcpreplay burst of a capture file
 * onto the veth. Everything goes from namespace a to namespace b.
 * @module
 */

import type { NetnsPair, NsProcess } from "./netns.ts";

/** `ping -c count -i interval` from a to b; resolves once it has ended. */
export async function ping(
  pair: NetnsPair,
  count = 3,
  interval = 0.2,
): Promise<void> {
  const r = await pair.exec("a", [
    "ping",
    "-n",
    "-q",
    "-c",
    String(count),
    "-i",
    String(interval),
    "-W",
    "1",
    pair.ipB,
  ]);
  if (r.code !== 0) throw new Error(`Ping failed: ${r.stdout}${r.stderr}`);
}

/** A ping left running in the background (stop it with the handle). */
export function pingRunning(pair: NetnsPair, interval = 0.2): NsProcess {
  return pair.spawn("a", [
    "ping",
    "-n",
    "-q",
    "-i",
    String(interval),
    pair.ipB,
  ]);
}

/** Waits until something listens on `port` (tcp or udp) in namespace b. */
export async function waitListening(
  pair: NetnsPair,
  port: number,
  proto: "tcp" | "udp" = "tcp",
  timeoutMs = 5000,
): Promise<void> {
  const flag = proto === "tcp" ? "-ltnH" : "-lunH";
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const r = await pair.exec("b", ["ss", flag, `sport = :${port}`]);
    if (r.stdout.trim() !== "") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Nothing listens on ${proto} port ${port} in "${pair.b}"`);
}

/**
 * One TCP connection from a to b:`port`: `lines` lines sent `gapMs` apart,
 * then the client half-closes (nc -N) and the server closes in turn.
 */
export async function tcpExchange(
  pair: NetnsPair,
  port: number,
  lines = 5,
  gapMs = 100,
): Promise<void> {
  const server = pair.spawn("b", ["nc", "-l", pair.ipB, String(port)]);
  await waitListening(pair, port);
  const client = pair.spawn("a", ["nc", "-N", pair.ipB, String(port)], {
    stdin: true,
  });
  const w = client.stdin.getWriter();
  const enc = new TextEncoder();
  for (let i = 1; i <= lines; i++) {
    await w.write(enc.encode(`line ${i}\n`));
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await w.close();
  const [c, s] = await Promise.all([client.wait(), server.wait()]);
  if (c.code !== 0 || s.code !== 0) {
    throw new Error(`TCP exchange failed: ${c.stderr}${s.stderr}`.trim());
  }
}

/** A TCP connection held open until `close()` (or the pair's cleanup). */
export interface HeldConnection {
  /** Half-closes the client side and waits for both ends to finish. */
  close(): Promise<void>;
}

/** Opens a TCP connection a → b:`port`, sends one line, and keeps it open. */
export async function tcpHold(
  pair: NetnsPair,
  port: number,
): Promise<HeldConnection> {
  const server = pair.spawn("b", ["nc", "-l", pair.ipB, String(port)]);
  await waitListening(pair, port);
  const client = pair.spawn("a", ["nc", "-N", pair.ipB, String(port)], {
    stdin: true,
  });
  const w = client.stdin.getWriter();
  await w.write(new TextEncoder().encode("held open\n"));
  return {
    async close(): Promise<void> {
      await w.close();
      await Promise.all([client.wait(), server.wait()]);
    },
  };
}

const UDP_SERVER = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(10)
print("ready", flush=True)
for _ in range(int(sys.argv[3])):
    d, a = s.recvfrom(2048)
    s.sendto(b"re:" + d, a)
`;

const UDP_CLIENT = `
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
for i in range(int(sys.argv[3])):
    s.sendto(b"datagram %d" % i, (sys.argv[1], int(sys.argv[2])))
    s.recvfrom(2048)
    time.sleep(float(sys.argv[4]))
`;

/** `count` UDP datagrams a → b:`port`, each answered, `gap` s apart. */
export async function udpExchange(
  pair: NetnsPair,
  port: number,
  count = 3,
  gap = 0.05,
): Promise<void> {
  const args = [pair.ipB, String(port), String(count)];
  const server = pair.spawn("b", ["python3", "-c", UDP_SERVER, ...args]);
  await waitListening(pair, port, "udp");
  const c = await pair.exec("a", [
    "python3",
    "-c",
    UDP_CLIENT,
    ...args,
    String(gap),
  ]);
  const s = await server.wait();
  if (c.code !== 0 || s.code !== 0) {
    throw new Error(`UDP exchange failed: ${c.stderr}${s.stderr}`.trim());
  }
}

/** How fast tcpreplay sends. */
export type ReplayRate =
  | { pps: number }
  | { mbps: number }
  | { topspeed: true };

/** What tcpreplay reported. */
export interface Replayed {
  /** Packets the veth took ("Successful packets"). */
  sent: number;
  /** Packets it failed to send. */
  failed: number;
  /** Seconds it took. */
  seconds: number;
  output: string;
}

/**
 * Replays a capture file out of namespace a's veth (so it arrives on b's),
 * `loop` times, at `rate`. Frames larger than the veth MTU fail to send
 * and are counted in `failed`.
 */
export async function replay(
  pair: NetnsPair,
  pcap: string,
  rate: ReplayRate = { topspeed: true },
  loop = 1,
): Promise<Replayed> {
  const speed = "pps" in rate
    ? [`--pps=${rate.pps}`]
    : "mbps" in rate
    ? [`--mbps=${rate.mbps}`]
    : ["--topspeed"];
  const r = await pair.exec("a", [
    "tcpreplay",
    "-q",
    `--intf1=${pair.vethA}`,
    ...speed,
    `--loop=${loop}`,
    pcap,
  ]);
  const out = r.stdout + r.stderr;
  if (r.code !== 0) throw new Error(`Tcpreplay failed: ${out.trim()}`);
  const ok = out.match(/Successful packets:\s+(\d+)/);
  const failed = out.match(/Failed packets:\s+(\d+)/);
  const time = out.match(/Actual: \d+ packets .*? in ([\d.]+) seconds/);
  if (!ok || !time) {
    throw new Error(`Cannot read tcpreplay's report: ${out.trim()}`);
  }
  return {
    sent: Number(ok[1]),
    failed: Number(failed?.[1] ?? 0),
    seconds: Number(time[1]),
    output: out,
  };
}

/**
 * `bytes` bytes over one TCP connection a → b:`port` (bulk data: with the
 * veth's offloads on, the capture sees segments of up to 64 KB).
 */
export async function tcpBulk(
  pair: NetnsPair,
  port: number,
  bytes: number,
): Promise<void> {
  const server = pair.spawn("b", ["nc", "-l", pair.ipB, String(port)]);
  await waitListening(pair, port);
  const c = await pair.exec("a", ["nc", "-N", pair.ipB, String(port)], {
    stdin: new Uint8Array(bytes).fill(0x78),
  });
  const s = await server.wait();
  if (c.code !== 0 || s.code !== 0 || s.stdout.length !== bytes) {
    throw new Error(`TCP bulk transfer failed: ${c.stderr}${s.stderr}`.trim());
  }
}

/**
 * Knocks on a closed TCP port and sends a datagram to a closed UDP port of
 * b: a SYN answered by RST, a datagram answered by ICMP port unreachable.
 */
export async function closedPorts(
  pair: NetnsPair,
  port: number,
): Promise<void> {
  await pair.exec("a", ["nc", "-z", "-w", "1", pair.ipB, String(port)]);
  await pair.exec("a", [
    "python3",
    "-c",
    "import socket,sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)" +
    ".sendto(b'probe', (sys.argv[1], int(sys.argv[2])))",
    pair.ipB,
    String(port),
  ]);
}
