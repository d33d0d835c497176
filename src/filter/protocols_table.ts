/**
 * The protocols database (/etc/protocols) for `proto NAME` in filters:
 * getprotobyname(3) semantics (name or alias, first match), read once.
 * Names that are filter keywords (`tcp`, `udp`, `icmp`) never get here:
 * argus's grammar rejects `proto tcp`, and so do we.
 * @module
 */

/** IP protocol names and numbers. */
export class ProtocolsTable {
  readonly #byName: ReadonlyMap<string, number>;

  constructor(byName: ReadonlyMap<string, number>) {
    this.#byName = byName;
  }

  /** Parses protocols(5) text: `name number aliases...`. */
  static fromText(text: string): ProtocolsTable {
    const byName = new Map<string, number>();
    for (const raw of text.split("\n")) {
      const [name, num, ...aliases] = raw.replace(/#.*/, "").trim().split(
        /\s+/,
      );
      if (name === undefined || name === "" || num === undefined) continue;
      if (!/^[0-9]+$/.test(num)) continue;
      for (const n of [name, ...aliases]) {
        if (!byName.has(n)) byName.set(n, Number(num));
      }
    }
    return new ProtocolsTable(byName);
  }

  static #system: ProtocolsTable | null = null;

  /** The system's /etc/protocols, read on first call (empty if unreadable). */
  static system(): ProtocolsTable {
    if (ProtocolsTable.#system === null) {
      let text = "";
      try {
        text = Deno.readTextFileSync("/etc/protocols");
      } catch {
        // No file or no permission: numbers only.
      }
      ProtocolsTable.#system = ProtocolsTable.fromText(text);
    }
    return ProtocolsTable.#system;
  }

  /** getprotobyname(name): the protocol number, if known. */
  byName(name: string): number | undefined {
    return this.#byName.get(name);
  }
}
