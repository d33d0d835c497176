/**
 * Command-line scanning with glibc getopt(3)'s rules, as argus(8) and ra(1)
 * use them: clustered flags (-dX), attached or separate arguments (-S5,
 * -S 5), operands anywhere (GNU permutation; POSIXLY_CORRECT stops at the
 * first), `--` ending options, and argus's two hand-made extensions of the
 * argument rules (kinds "many" and "pair"). A pure function of its inputs.
 * @module
 */

import { UsageError } from "./usage_error.ts";

/**
 * How an option takes its argument:
 * - "none": a flag;
 * - "one": one argument, attached (-S5) or the next word, whatever it is;
 * - "many": one argument, then every following word that does not start
 *   with "-" (argus -r a.pcap b.pcap, -i en0 en1);
 * - "pair": one argument, then the next word as a second value unless that
 *   word starts with "-" or there is none (argus -w file "filter"). When
 *   the first value itself starts with "-" and is not "-", no second value
 *   is taken (argus then handles the option differently).
 */
export type ArgKind = "none" | "one" | "many" | "pair";

/** One option of a table: the parser and the help text both read it. */
export interface OptionSpec {
  /** The option letter. */
  letter: string;
  arg: ArgKind;
  /** Argument name for usage text, shown as `<argName>`. */
  argName?: string;
  /** Description for usage text; a "\n" continues it on the next line. */
  help: string;
  /** Lines printed verbatim under the option in help (formats, examples). */
  helpMore?: readonly string[];
  /**
   * The option may be given several times, each use adding to a list
   * (-r, -w, -i); otherwise a later use replaces an earlier one. getopt
   * reports every use in order either way.
   */
  collect?: boolean;
}

/** An option as it appeared, in order. */
export interface OptionUse {
  letter: string;
  /** Its arguments (empty for flags; two for a "pair" with its second). */
  values: string[];
}

/** What scanning found. */
export interface Scanned {
  options: OptionUse[];
  /** Words that are not options or option arguments, in order. */
  operands: string[];
  /** With `stopOnError`, the error that ended scanning. */
  error?: UsageError;
}

/** Scanning variants. */
export interface GetoptConfig {
  /**
   * Stop at the first operand, as glibc does when POSIXLY_CORRECT is set;
   * everything after it is an operand.
   * @default {false}
   */
  posixlyCorrect?: boolean;
  /**
   * Return what was scanned before a bad option, with `error` set, instead
   * of throwing: argus acts on options in order, so an earlier -h wins.
   * @default {false}
   */
  stopOnError?: boolean;
}

/**
 * Scans `argv` (without the program name) against `table`.
 * @throws UsageError on an unknown option or a missing argument
 * @example getopt(["-dS5", "-r", "a", "b", "-", "tcp"], table)
 *   // options d, S=5, r=a,b; operands ["-", "tcp"]
 */
export function getopt(
  argv: readonly string[],
  table: readonly OptionSpec[],
  config: GetoptConfig = {},
): Scanned {
  const specs = new Map(table.map((o) => [o.letter, o]));
  const options: OptionUse[] = [];
  const operands: string[] = [];
  const fail = (message: string): Scanned => {
    const error = new UsageError(message);
    if (!config.stopOnError) throw error;
    return { options, operands, error };
  };
  let i = 0;
  while (i < argv.length) {
    const word = argv[i++]!;
    if (word === "--") {
      operands.push(...argv.slice(i));
      break;
    }
    // A lone "-" is an operand to getopt (argus drops it from the filter).
    if (word.length < 2 || word[0] !== "-") {
      operands.push(word);
      if (config.posixlyCorrect) {
        operands.push(...argv.slice(i));
        break;
      }
      continue;
    }
    for (let c = 1; c < word.length; c++) {
      const letter = word[c]!;
      const spec = specs.get(letter);
      if (spec === undefined) return fail(`invalid option -- '${letter}'`);
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
        return fail(`option requires an argument -- '${letter}'`);
      }
      const values = [first];
      if (spec.arg === "many") {
        while (i < argv.length && !argv[i]!.startsWith("-")) {
          values.push(argv[i++]!);
        }
      } else if (spec.arg === "pair") {
        const takesSecond = first === "-" || !first.startsWith("-");
        if (takesSecond && i < argv.length && !argv[i]!.startsWith("-")) {
          values.push(argv[i++]!);
        }
      }
      options.push({ letter, values });
      break;
    }
  }
  return { options, operands };
}
