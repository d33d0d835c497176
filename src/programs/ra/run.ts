/**
 * The ra program: reads Argus records (ours or the real argus's) and
 * prints them as the real ra 3.0.8 does, or writes them (-w), or as
 * JSON/CSV. Everything but "each record goes out" (and ra's -e, a grep of
 * the user data as ragrep's) is the shared client skeleton.
 * @module
 */

import { type ClientProgram, runClient } from "../../client/client_main.ts";
import type { ClientSpec } from "../../client/client_options.ts";
import type { TextSink } from "../../client/text_out.ts";
import { UsageError } from "../../cli/mod.ts";
import { compilePosixEre, PosixRegexError } from "../../client/posix_ere.ts";
import { UserDataMatcher } from "../../client/user_data_match.ts";

/** ra's name, usage and own options. */
export const RA_SPEC: ClientSpec = {
  name: "ra",
  usageLine: "usage: ra [options] [-r file ...] [- filter-expression]",
  options: [
    {
      letter: "e",
      arg: "one",
      argName: "regex",
      help: "keep records whose user data matches (s:regex, d:regex: one side)",
    },
  ],
};

/** The -e grep as ragrep sets it up: "s:" and "d:" pick a side. */
function userDataMatcher(expr: string): UserDataMatcher {
  let source = true, destination = true;
  if (expr.startsWith("s:")) {
    destination = false;
    expr = expr.slice(2);
  }
  if (expr.startsWith("d:")) {
    source = false;
    expr = expr.slice(2);
  }
  let re: RegExp;
  try {
    re = compilePosixEre(expr, false);
  } catch (e) {
    if (!(e instanceof PosixRegexError)) throw e;
    throw new UsageError(`-e: cannot use regex "${expr}": ${e.message}`);
  }
  return new UserDataMatcher({
    patterns: [re],
    source,
    destination,
    invert: false,
  });
}

function raProgram(): ClientProgram {
  let matcher: UserDataMatcher | null = null;
  let kept = 0;
  return {
    configure(o) {
      for (const { letter, values } of o.programOptions) {
        if (letter === "e") matcher = userDataMatcher(values[0] ?? "");
      }
    },
    record(r, buf, start, length, out) {
      if (matcher !== null && !matcher.matches(r)) return;
      kept++;
      out.emit(r, buf, start, length);
    },
    selected: () => matcher === null ? null : kept,
    printsTotals: true,
  };
}

/** ra [options]: returns the exit status. */
export function runRa(
  args: string[],
  stdout: TextSink = Deno.stdout,
): Promise<number> {
  return runClient(RA_SPEC, raProgram(), args, stdout);
}
