/**
 * Command-line scanning with GNU getopt's rules as argus and ra use them:
 * clustered flags (-dX), attached or separate arguments (-S5, -S 5),
 * operands anywhere (collected in order), `--` ending options, and two argus
 * extensions: options that take every following word up to the next
 * option (-r a.pcap b.pcap), and options whose next word is an optional
 * second value unless it starts with "-" (-w file "filter").
 * @module
 */

import { UsageError } from "./usage_error.ts";

/** How an option takes its argument. */
export type ArgKind =
  | "none"
  /** One argument. */
  | "one"
  /** One argument, then every following word not starting with "-". */
  | "many"
  /** One argument, then one more word unless it starts with "-". */
  | "pair";

/** One option of a table. */
export interface OptionSpec {
  /** The option letter. */
  letter: string;
  arg: ArgKind;
  /** Argument name for usage text. */
  argName?: string;
  /** One-line description for usage text. */
  help: string;
}

/** An option as it appeared, in order. */
export interface OptionUse {
  letter: string;
  /** Its arguments (empty for flags). */
  values: string[];
}

/** What scanning found. */
export interface Scanned {
  options: OptionUse[];
  /** Words that are not options or option arguments, in order. */
  operands: string[];
}

/** Scans `argv` against `table`; throws UsageError on unknown options. */
export function getopt(argv: string[], table: OptionSpec[]): Scanned {
  const specs = new Map(table.map((o) => [o.letter, o]));
  const options: OptionUse[] = [];
  const operands: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const word = argv[i++]!;
    if (word === "--") {
      operands.push(...argv.slice(i));
      break;
    }
    if (word.length < 2 || word[0] !== "-") {
      operands.push(word);
      continue;
    }
    for (let c = 1; c < word.length; c++) {
      const letter = word[c]!;
      const spec = specs.get(letter);
      if (spec === undefined) {
        throw new UsageError(`invalid option -- '${letter}'`);
      }
      if (spec.arg === "none") {
        options.push({ letter, values: [] });
        continue;
      }
      let first: string;
      if (c + 1 < word.length) {
        first = word.slice(c + 1);
      } else if (i < argv.length) {
        first = argv[i++]!;
      } else {
        throw new UsageError(`option requires an argument -- '${letter}'`);
      }
      const values = [first];
      if (spec.arg === "many") {
        while (i < argv.length && !argv[i]!.startsWith("-")) {
          values.push(argv[i++]!);
        }
      } else if (spec.arg === "pair") {
        if (i < argv.length && !argv[i]!.startsWith("-")) {
          values.push(argv[i++]!);
        }
      }
      options.push({ letter, values });
      break;
    }
  }
  return { options, operands };
}
