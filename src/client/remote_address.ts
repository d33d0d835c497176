/**
 * The address of a remote record source, as ra(1) -S and radium(8) -S
 * take it: `host`, `host:port`, `[v6addr]:port`, optionally behind
 * `argus://` or `argus-tcp://`, or `argus-udp://` for the datagrams of
 * argus -w argus-udp://; the port defaults to 561 (the argus -P default).
 * NetFlow (cisco://) is not read yet.
 * @module
 */

import { UsageError } from "../cli/mod.ts";

/** argus's access port when none is named. */
export const DEFAULT_REMOTE_PORT = 561;

/** The port NetFlow is read on when none is named (ARGUS_DEFAULTCISCOPORT). */
export const DEFAULT_CISCO_PORT = 9995;

/** Where to connect. */
export interface RemoteAddress {
  hostname: string;
  port: number;
  /**
   * TCP (the -P protocol), UDP (argus-udp:// datagrams) or NetFlow
   * datagrams (cisco://).
   */
  transport: "tcp" | "udp" | "cisco";
  /** As given on the command line, for messages. */
  text: string;
}

/**
 * Parses one -S argument.
 * @throws UsageError naming the argument when it cannot be read
 */
export function parseRemoteAddress(text: string): RemoteAddress {
  let rest = text;
  let transport: RemoteAddress["transport"] = "tcp";
  const scheme = /^([a-z][a-z0-9-]*):\/\//i.exec(rest);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (name === "argus-udp") transport = "udp";
    else if (name === "cisco") transport = "cisco";
    else if (name !== "argus" && name !== "argus-tcp") {
      throw new UsageError(`-S: "${name}://" sources are not supported yet`);
    }
    rest = rest.slice(scheme[0].length);
  }
  // A trailing "//path" asks a radium for a file: not served here.
  if (rest.includes("/")) {
    throw new UsageError(`-S: remote file paths are not supported: "${text}"`);
  }
  if (rest.includes("@")) {
    throw new UsageError(`-S: user names (SASL) are not supported: "${text}"`);
  }
  let hostname = rest;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (v6) {
    hostname = v6[1]!;
    portText = v6[2];
  } else if (rest.indexOf(":") === rest.lastIndexOf(":")) {
    const colon = rest.indexOf(":");
    if (colon >= 0) {
      hostname = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    }
  }
  if (hostname === "") throw new UsageError(`-S: no host in "${text}"`);
  // "any" binds every local address, as the client's AI_PASSIVE does.
  if (transport === "cisco" && /^any$/i.test(hostname)) hostname = "0.0.0.0";
  let port = transport === "cisco" ? DEFAULT_CISCO_PORT : DEFAULT_REMOTE_PORT;
  if (portText !== undefined) {
    port = /^\d+$/.test(portText) ? Number(portText) : -1;
    if (!(port > 0 && port < 65536)) {
      throw new UsageError(`-S: bad port in "${text}"`);
    }
  }
  return { hostname, port, transport, text };
}
