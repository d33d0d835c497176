/**
 * The ragrep program: ra's reading, filter and output, keeping only the
 * records whose captured user data (`argus -U N`) matches a POSIX extended
 * regular expression, as the real ragrep 3.0.8 does (examples/ragrep and
 * ArgusGrepUserData). Its own letters replace some of ra's: -c counts,
 * -L lists files without matches, -h drops file names.
 * @module
 */

import {
  BadValueError,
  type ClientProgram,
  runClient,
} from "../../client/client_main.ts";
import type { ClientSpec } from "../../client/client_options.ts";
import { RecordKind } from "../../client/client_record.ts";
import { compilePosixEre, PosixRegexError } from "../../client/posix_ere.ts";
import { readPatternFile } from "../../client/pattern_file.ts";
import type { TextSink } from "../../client/text_out.ts";
import { UserDataMatcher } from "../../client/user_data_match.ts";
import type { OptionSpec } from "../../cli/mod.ts";

const OPTIONS: OptionSpec[] = [
  {
    letter: "e",
    arg: "one",
    argName: "regex",
    help:
      "match regular expression in flow user data fields\n(s:regex or d:regex: source or destination data only)",
  },
  {
    letter: "f",
    arg: "one",
    argName: "regex.file",
    help: "obtain patterns from regex.file, one per line",
  },
  {
    letter: "i",
    arg: "none",
    help: "ignore case distinctions in the patterns and the data",
  },
  { letter: "v", arg: "none", help: "select the records that do not match" },
  {
    letter: "c",
    arg: "one",
    argName: "char",
    help:
      "print only a count of matching records per input file\n(the argument is ignored, as ragrep does)",
  },
  {
    letter: "l",
    arg: "none",
    help: "print only the names of files with matches",
  },
  {
    letter: "L",
    arg: "one",
    argName: "num",
    help:
      "print only the names of files without matches\n(the argument is ignored)",
  },
  { letter: "H", arg: "none", help: "print the file name before each record" },
  { letter: "h", arg: "none", help: "never print file names before records" },
  {
    letter: "b",
    arg: "none",
    help: "print each record's byte offset in its file first",
  },
  {
    letter: "m",
    arg: "one",
    argName: "num",
    help: "stop after num matching records",
  },
  {
    letter: "q",
    arg: "none",
    help: "print nothing; exit 0 at the first match",
  },
]; // deno-fmt-ignore

/** ragrep's name, usage and own options. */
export const RAGREP_SPEC: ClientSpec = {
  name: "ragrep",
  usageLine:
    "usage: ragrep -bcHhiLnqv [-e regex] [-f regex.file] [raoptions] [- filter-expression]",
  options: OPTIONS,
};

/** ragrep [options]: returns the exit status. */
export async function runRagrep(
  args: string[],
  stdout: TextSink = Deno.stdout,
): Promise<number> {
  let matcher: UserDataMatcher | null = null;
  let count = false, listMatching = false, listMissing = false;
  let names = false, noNames = false, offsets = false, quiet = false;
  let maxMatches = 0;
  let writing = false;
  /** Matching flow records in this file. */
  let fileMatches = 0;
  /**
   * What the real clients count in ArgusTotalRecords (for -N and the exit
   * status): one per file opened, plus the records that passed the filter
   * and the grep (MARs too, but not a file's opening MAR).
   */
  let filesDone = 0, records = 0;
  /** -N, taken over from the skeleton: ragrep counts as above. */
  let nFirst = 0, nLast = -1;
  /** -m reached: later records are not looked at (RaParseDone). */
  let parseDone = false;
  /** A grep or a filter: the exit status then depends on what passed. */
  let selecting = false;
  let quietMatch = false;
  let decorate = false;

  const program: ClientProgram = {
    failWhenNothingMatched: false,
    configure(o) {
      let expr: string | null = null;
      let patternFile: string | null = null;
      let ignoreCase = false, invert = false;
      // ragrep counts -e's sides as ArgusParseArgs does: each -e turns
      // both on, then "s:" turns the destination off and "d:" the source.
      let src = 0, dst = 0;
      for (const { letter, values } of o.programOptions) {
        const v = values[0] ?? "";
        switch (letter) {
          case "e":
            expr = v;
            src++;
            dst++;
            if (expr.startsWith("s:")) {
              dst = 0;
              expr = expr.slice(2);
            }
            if (expr.startsWith("d:")) {
              src = 0;
              expr = expr.slice(2);
            }
            break;
          case "f":
            patternFile = v;
            break;
          case "i":
            ignoreCase = true;
            break;
          case "v":
            invert = true;
            break;
          case "c":
            count = true;
            break;
          case "l":
            listMatching = true;
            break;
          case "L":
            listMissing = true;
            break;
          case "H":
            names = true;
            break;
          case "h":
            noNames = true;
            break;
          case "b":
            offsets = true;
            break;
          case "m":
            maxMatches = Number.parseInt(v, 10) || 0;
            break;
          case "q":
            quiet = true;
            break;
        }
      }
      const patterns: RegExp[] = [];
      const compile = (text: string) => {
        try {
          patterns.push(compilePosixEre(text, ignoreCase));
        } catch (e) {
          if (!(e instanceof PosixRegexError)) throw e;
          throw new BadValueError(
            e.unsupported
              ? `cannot use regex "${text}": ${e.message}`
              : `user data regex error ${e.message}`,
          );
        }
      };
      if ((src || dst) && expr !== null) compile(expr);
      if (patternFile !== null) {
        src++;
        dst++;
        for (const text of readPatternFile(patternFile)) compile(text);
      }
      if (src || dst) {
        matcher = new UserDataMatcher({
          patterns,
          source: src > 0,
          destination: dst > 0,
          invert,
        });
      }
      // ragrep prints no labels and no MARs (it clears ArgusPrintMan), but
      // MARs go through its grep: they pass -v (no user data), then count
      // for the exit status and go to -w.
      o.labels = 0;
      o.printMan = true;
      nFirst = o.firstRecord;
      nLast = o.lastRecord;
      o.firstRecord = 0;
      o.lastRecord = -1;
      writing = o.writeFile !== null;
      // The real ragrep counts its -r files after the first one. Our
      // JSON and CSV lines carry no prefixes.
      decorate = (o.files.length > 2 || names) && !noNames &&
        o.format === "text";
      offsets = offsets && o.format === "text";
      selecting = matcher !== null || o.filter !== "";
    },
    record(r, buf, start, length, out, place) {
      if (parseDone) return true;
      if (matcher !== null && !matcher.matches(r)) return true;
      const mar = r.kind === RecordKind.MAR;
      if (!mar || place.offset !== 0) records++;
      const total = filesDone + 1 + records;
      // -N start: the record is counted, not shown (sNflag).
      if (!(nFirst > 0 && nFirst >= total)) {
        if (mar) {
          if (writing) out.emit(r, buf, start, length);
        } else if (quiet) {
          quietMatch = true;
          return false;
        } else {
          fileMatches++;
          if (!(count || listMatching || listMissing)) {
            let prefix = decorate ? `${place.file}:` : "";
            if (offsets) prefix += `${place.offset}:`;
            out.emit(r, buf, start, length, prefix);
          }
          // -m counts per file (ArgusRecordMatches); later files are still
          // opened, and reported by -c, but not read.
          if (maxMatches > 0 && fileMatches >= maxMatches) parseDone = true;
        }
      }
      // -N end: no more files either (eNflag).
      return !(nLast >= 0 && total > nLast);
    },
    fileDone(file, out) {
      filesDone++;
      if (quiet) return;
      if (listMissing) {
        if (fileMatches === 0) out.printLine(file);
      } else if (listMatching) {
        if (fileMatches > 0) out.printLine(file);
      } else if (count) {
        out.printLine(`${file}:${fileMatches}`);
      }
      fileMatches = 0;
    },
  };
  const status = await runClient(RAGREP_SPEC, program, args, stdout);
  // As the real clients decide it: 1 when at most one thing counted, so
  // no match in one file is 1, but no match in two files is 0.
  // -q: a match is exit 0, whatever went wrong before it.
  if (quietMatch) return 0;
  if (status === 0 && selecting && filesDone + records <= 1) return 1;
  return status;
}
