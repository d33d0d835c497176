/**
 * argus -i / ARGUS_INTERFACE values (argus(8)): `if`, `if/srcid`, `all`,
 * `ind:a,b`, `dup:a,b`, `bond:a,b`, `[bond:a,b]` groups and `a b` lists,
 * turned into the interface names to open and the source id each spec
 * carries. argus-ts runs one flow model: every interface feeds it (argus's
 * bond), and the first srcid given is the sensor's.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";

/** What the -i values ask for. */
export interface InterfaceChoice {
  /** Interface names in order, without duplicates; "all" stays "all". */
  names: string[];
  /** The first `/srcid` given, as written (quotes removed), if any. */
  srcid?: string;
  /** The srcid was double-quoted (a string id). */
  srcidQuoted: boolean;
}

/** Parses every -i value (each may hold several words). */
export function parseInterfaceSpecs(
  values: readonly string[],
): InterfaceChoice {
  const names: string[] = [];
  let srcid: string | undefined;
  let srcidQuoted = false;
  for (const value of values) {
    for (const word of value.trim().split(/\s+/)) {
      if (word === "") continue;
      let spec = word;
      const slash = spec.lastIndexOf("/");
      if (slash >= 0) {
        let id = spec.slice(slash + 1);
        spec = spec.slice(0, slash);
        const quoted = /^".*"$/.test(id);
        if (quoted) id = id.slice(1, -1);
        if (id === "") throw new UsageError(`-i "${word}": empty source id`);
        if (srcid === undefined) {
          srcid = id;
          srcidQuoted = quoted;
        }
      }
      // Group prefixes and brackets only say how argus models them.
      const list = spec.replace(/\b(ind|dup|bond):/g, "").replace(/[[\]]/g, "");
      for (const name of list.split(",")) {
        if (name === "") {
          throw new UsageError(`-i "${word}": empty interface name`);
        }
        if (!names.includes(name)) names.push(name);
      }
    }
  }
  return srcid === undefined
    ? { names, srcidQuoted }
    : { names, srcid, srcidQuoted };
}
