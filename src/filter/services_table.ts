/**
 * The services database (/etc/services) as the filter compiler uses it:
 * getservbyname(3) semantics (first entry whose name or alias matches, in
 * file order), read once on first use. A system without the file knows no
 * port names, so `port http` is then an unknown port, as with the real ra.
 * @module
 */

/** One services line: `name port/proto aliases...`. */
export interface ServiceEntry {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly port: number;
  readonly proto: string;
}

/** Port names, looked up like the C library does. */
export class ServicesTable {
  readonly entries: readonly ServiceEntry[];

  constructor(entries: readonly ServiceEntry[]) {
    this.entries = entries;
  }

  /** Parses services(5) text; malformed lines are skipped. */
  static fromText(text: string): ServicesTable {
    const entries: ServiceEntry[] = [];
    for (const raw of text.split("\n")) {
      const fields = raw.replace(/#.*/, "").trim().split(/\s+/);
      const [name, portProto, ...aliases] = fields;
      if (name === undefined || name === "" || portProto === undefined) {
        continue;
      }
      const m = /^([0-9]+)\/([A-Za-z0-9_-]+)$/.exec(portProto);
      if (m === null) continue;
      const port = Number(m[1]);
      if (port > 65535) continue;
      entries.push({ name, aliases, port, proto: m[2]! });
    }
    return new ServicesTable(entries);
  }

  static #system: ServicesTable | null = null;

  /** The system's /etc/services, read on first call (empty if unreadable). */
  static system(): ServicesTable {
    if (ServicesTable.#system === null) {
      let text = "";
      try {
        text = Deno.readTextFileSync("/etc/services");
      } catch {
        // No file or no permission: no names, only numbers.
      }
      ServicesTable.#system = ServicesTable.fromText(text);
    }
    return ServicesTable.#system;
  }

  /** getservbyname(name, proto): the first matching entry. */
  byName(name: string, proto?: string): ServiceEntry | undefined {
    return this.entries.find((e) =>
      (proto === undefined || e.proto === proto) &&
      (e.name === name || e.aliases.includes(name))
    );
  }
}
