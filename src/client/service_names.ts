/**
 * TCP and UDP port names from the system's services database
 * (/etc/services), the way the argus clients load it: the first name
 * listed for a port wins. Read once, on first use; a system without the
 * file prints numbers.
 * @module
 */

/** Port names for one transport protocol. */
export type PortNames = ReadonlyMap<number, string>;

let tcp: Map<number, string> | null = null;
let udp: Map<number, string> | null = null;

function load(path = "/etc/services"): void {
  tcp = new Map();
  udp = new Map();
  let text = "";
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return;
  }
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") continue;
    const [name, portProto] = line.split(/\s+/);
    if (name === undefined || portProto === undefined) continue;
    const slash = portProto.indexOf("/");
    if (slash < 0) continue;
    const port = Number(portProto.slice(0, slash));
    const proto = portProto.slice(slash + 1);
    if (!Number.isInteger(port) || port < 0 || port > 65535) continue;
    const table = proto === "tcp" ? tcp : proto === "udp" ? udp : null;
    if (table !== null && !table.has(port)) table.set(port, name);
  }
}

/** The services name of a TCP port, if any. */
export function tcpPortName(port: number): string | undefined {
  if (tcp === null) load();
  return tcp!.get(port);
}

/** The services name of a UDP port, if any. */
export function udpPortName(port: number): string | undefined {
  if (udp === null) load();
  return udp!.get(port);
}
