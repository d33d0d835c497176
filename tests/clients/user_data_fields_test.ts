/**
 * The suser and duser columns against the real ra 3.0.8: records the
 * real argus wrote with user data (`argus -U`), printed by the real ra
 * with `-s stime suser:N proto duser:N proto` for several lengths, fixed-width and
 * with a field delimiter, must match our columns (through RecordPrinter)
 * line for line, label included. (This test builds its printer itself;
 * ragrep_test.ts prints the columns through the -s table.)
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import { ClientRecord, RecordKind } from "../../src/client/client_record.ts";
import { PRINT_FIELDS } from "../../src/client/print_fields.ts";
import { RecordPrinter } from "../../src/client/record_printer.ts";
import { USER_DATA_FIELDS } from "../../src/client/user_data_fields.ts";
import { readRecordFile } from "../../src/record/record_reader.ts";

/** Captures, and the -U size each is recorded with. */
const CAPTURES: [string, number][] = [
  ["tcp-basic", 64],
  ["mixed-small", 200], // binary payloads, long data
  ["tcp-halfopen", 64], // records ra turns round
  ["udp-dns", 7],
];

/** Column lengths: the default, around the 10/11 and 100 steps. */
const LENGTHS = [undefined, 1, 5, 9, 10, 11, 64, 99, 100, 150];

async function ourLines(
  file: string,
  len: number | undefined,
  delimiter: string,
): Promise<string[]> {
  const stime = PRINT_FIELDS.get("stime")!;
  const proto = PRINT_FIELDS.get("proto")!;
  // A column after each, so that their padding shows.
  const fields = [stime, USER_DATA_FIELDS[0]!, proto, USER_DATA_FIELDS[1]!];
  fields.push(proto);
  const widths = [stime.width, len ?? 16, proto.width, len ?? 16, proto.width];
  const printer = new RecordPrinter(
    fields,
    {
      nflag: 1,
      precision: 6,
      timeFormat: "%T.%f",
      unixTime: false,
      fixed: delimiter === "",
    },
    delimiter,
    widths,
  );
  const lines = [printer.label().trimEnd()];
  const r = new ClientRecord();
  await readRecordFile(file, (buf, start, length) => {
    r.load(buf, start, length);
    if (r.kind !== RecordKind.MAR) lines.push(printer.line(r));
  });
  return lines;
}

Deno.test({
  name: "suser, duser: our columns print what the real ra prints",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "user_data_fields" });
    try {
      for (const [name, size] of CAPTURES) {
        const file = `${dir}/${name}.argus`;
        const made = await run("argus", [
          "-X",
          "-U",
          String(size),
          "-r",
          `${CORPUS}${name}.pcap`,
          "-w",
          file,
        ]);
        assert.equal(made.code, 0, made.stderr);
        await t.step(`${name} (-U ${size})`, async () => {
          for (const len of LENGTHS) {
            for (const delimiter of ["", ","]) {
              const [su, du] = len === undefined
                ? ["suser", "duser"]
                : [`suser:${len}`, `duser:${len}`];
              const cols = [su!, "proto", du!, "proto"];
              const args = ["-X", "-r", file, "-s", "stime", ...cols];
              if (delimiter) args.push("-c", delimiter);
              const real = await run("ra", [...args, "-", "not", "man"]);
              const want = real.stdout.split("\n").slice(0, -1);
              want[0] = want[0]!.trimEnd();
              const got = await ourLines(file, len, delimiter);
              assert.deepEqual(got, want, `${cols} "${delimiter}"`);
            }
          }
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
