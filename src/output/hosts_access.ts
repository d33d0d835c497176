/**
 * HostsAccess: who may connect to the -P access port. argus asks
 * tcp_wrappers (hosts_access(5), daemon name "argus"): the first matching
 * rule of hosts.allow grants, else one in hosts.deny refuses, else the
 * client is let in. This is a faithful subset of that language, checked
 * against the real argus 3.0.8.2 (libwrap) with bind-mounted files.
 * @module
 */

import { parseIPv4, parseIPv6 } from "../filter/mod.ts";

/** Where the rules live; the paths can be moved for tests. */
export interface HostsAccessFiles {
  /** @default env ARGUS_TS_HOSTS_ALLOW, else "/etc/hosts.allow" */
  allow?: string;
  /** @default env ARGUS_TS_HOSTS_DENY, else "/etc/hosts.deny" */
  deny?: string;
  /** Names for addresses (the host name patterns). @default "/etc/hosts" */
  hosts?: string;
  /** The daemon name rules are matched against. @default "argus" */
  daemon?: string;
}

/** The verdict on one client. */
export interface AccessVerdict {
  allowed: boolean;
  /** The file and line that decided, when a rule did. */
  rule?: string;
}

/** A client as the patterns see it. */
interface Client {
  /** The address as text (IPv4 dotted quad or IPv6). */
  address: string;
  v4: number | null;
  v6: number[] | null;
  /** The host name /etc/hosts gives the address, if any. */
  name: string | null;
}

/**
 * Reads hosts.allow and hosts.deny afresh for each check, as tcp_wrappers
 * does, so an edit applies to the next connection without a restart.
 */
export class HostsAccess {
  readonly allowPath: string;
  readonly denyPath: string;
  readonly hostsPath: string;
  readonly daemon: string;

  constructor(files: HostsAccessFiles = {}) {
    this.allowPath = files.allow ?? env("ARGUS_TS_HOSTS_ALLOW") ??
      "/etc/hosts.allow";
    this.denyPath = files.deny ?? env("ARGUS_TS_HOSTS_DENY") ??
      "/etc/hosts.deny";
    this.hostsPath = files.hosts ?? "/etc/hosts";
    this.daemon = files.daemon ?? "argus";
  }

  /** Whether a client at `address` may connect. Missing files allow. */
  check(address: string): AccessVerdict {
    const client = this.#client(address);
    const granted = this.#firstMatch(this.allowPath, client);
    if (granted !== null) return { allowed: true, rule: granted };
    const refused = this.#firstMatch(this.denyPath, client);
    if (refused !== null) return { allowed: false, rule: refused };
    return { allowed: true };
  }

  #client(address: string): Client {
    // An IPv4 client on an IPv6 socket arrives as ::ffff:a.b.c.d.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const text = mapped ? mapped[1]! : address;
    const v4 = parseIPv4(text);
    const v6 = v4 === null ? parseIPv6(text) : null;
    return { address: text, v4, v6, name: this.#nameOf(text) };
  }

  /** The first name /etc/hosts gives the address (a reverse lookup). */
  #nameOf(address: string): string | null {
    const text = readOrNull(this.hostsPath);
    if (text === null) return null;
    for (const line of text.split("\n")) {
      const [addr, name] = line.replace(/#.*/, "").trim().split(/\s+/);
      if (addr === address && name !== undefined) return name;
    }
    return null;
  }

  /** "file:line" of the first rule matching the daemon and client. */
  #firstMatch(path: string, client: Client): string | null {
    const text = readOrNull(path);
    if (text === null) return null;
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!;
      const first = i;
      // A backslash at the end continues the rule on the next line.
      while (line.endsWith("\\") && i + 1 < lines.length) {
        line = line.slice(0, -1) + " " + lines[++i]!;
      }
      const rule = line.trim();
      if (rule === "" || rule.startsWith("#")) continue;
      const fields = rule.split(":");
      if (fields.length < 2) continue; // tcp_wrappers skips it with a warning
      // IPv6 patterns are in brackets and may hold colons: rejoin them.
      const daemons = fields[0]!;
      const clients = clientField(rule.slice(daemons.length + 1));
      if (
        listMatches(daemons, (p) => this.#daemonMatches(p)) &&
        listMatches(clients, (p) => hostMatches(p, client))
      ) {
        return `${path}:${first + 1}`;
      }
    }
    return null;
  }

  #daemonMatches(pattern: string): boolean {
    if (pattern.toUpperCase() === "ALL") return true;
    // daemon@host patterns name a server address; we have none to offer.
    if (pattern.includes("@")) return false;
    return wildcardMatch(pattern, this.daemon);
  }
}

/** The client list: up to the next ":" outside brackets. */
function clientField(rest: string): string {
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === ":" && depth === 0) return rest.slice(0, i);
  }
  return rest;
}

/**
 * A pattern list with EXCEPT: "a b EXCEPT c EXCEPT d" is a minus (c minus
 * d), as tcp_wrappers' list_match reads it.
 */
function listMatches(list: string, match: (p: string) => boolean): boolean {
  const words = list.split(/[\s,]+/).filter((w) => w !== "");
  const except = words.findIndex((w) => w === "EXCEPT");
  const head = except < 0 ? words : words.slice(0, except);
  if (!head.some(match)) return false;
  if (except < 0) return true;
  return !listMatches(words.slice(except + 1).join(" "), match);
}

/** One client pattern against the client's address and name. */
function hostMatches(pattern: string, c: Client): boolean {
  switch (pattern.toUpperCase()) {
    case "ALL":
      return true;
    case "KNOWN":
      return c.name !== null;
    case "UNKNOWN":
      return c.name === null;
    case "LOCAL":
      return c.name !== null && !c.name.includes(".");
    case "PARANOID":
      return false; // a name from /etc/hosts always maps back
  }
  // Netgroups, user@host and pattern files are outside this subset.
  if (/^[@/]/.test(pattern) || pattern.includes("@")) return false;
  if (pattern.startsWith("[")) return ipv6Matches(pattern, c);
  const slash = pattern.indexOf("/");
  if (slash >= 0) {
    return ipv4NetMatches(
      pattern.slice(0, slash),
      pattern.slice(slash + 1),
      c,
    );
  }
  if (pattern.startsWith(".")) {
    return c.name !== null &&
      c.name.toLowerCase().endsWith(pattern.toLowerCase());
  }
  if (pattern.endsWith(".")) return c.address.startsWith(pattern);
  return wildcardMatch(pattern, c.address) ||
    (c.name !== null && wildcardMatch(pattern, c.name));
}

/** "n.n.n.n/m.m.m.m" or "n.n.n.n/len". */
function ipv4NetMatches(netText: string, maskText: string, c: Client): boolean {
  if (c.v4 === null) return false;
  const net = parseIPv4(netText);
  let mask: number | null;
  if (/^\d{1,2}$/.test(maskText) && Number(maskText) <= 32) {
    const len = Number(maskText);
    mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  } else {
    mask = parseIPv4(maskText);
  }
  if (net === null || mask === null) return false;
  return ((c.v4 & mask) >>> 0) === net;
}

/** "[v6]" or "[v6]/len". */
function ipv6Matches(pattern: string, c: Client): boolean {
  const m = /^\[([^\]]+)\](?:\/(\d{1,3}))?$/.exec(pattern);
  if (m === null || c.v6 === null) return false;
  const net = parseIPv6(m[1]!);
  const len = m[2] === undefined ? 128 : Number(m[2]);
  if (net === null || len > 128) return false;
  for (let g = 0; g < 8; g++) {
    const bits = Math.max(0, Math.min(16, len - 16 * g));
    const mask = bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
    if ((c.v6[g]! & mask) !== (net[g]! & mask)) return false;
  }
  return true;
}

/** Case-blind match with "*" and "?" wildcards. */
function wildcardMatch(pattern: string, text: string): boolean {
  if (!/[*?]/.test(pattern)) {
    return pattern.toLowerCase() === text.toLowerCase();
  }
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "i").test(text);
}

function readOrNull(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: the system files
  }
}
