/**
 * Every client on a record file cut inside a record: what the good records
 * give is printed (as the real client prints it from the whole records
 * before the cut), then one error line naming the file and the byte
 * offset, last, and the exit status is 1.
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Each program with arguments that print every record it keeps. */
const PROGRAMS: [string, string[]][] = [
  ["ra", []],
  ["racluster", []],
  ["rasort", ["-m", "bytes"]],
  ["racount", []],
  ["ragrep", ["-v", "-e", "nothing-like-this"]],
];

Deno.test({
  name: "clients: a cut record file prints its good part, then one error line",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const whole = await Deno.readFile(
        `${CORPUS}expected/mixed-small.pcap.argus`,
      );
      // The good part ends at a record boundary; the cut is 10 bytes into
      // the next record.
      let good = 0;
      for (let i = 0; i < 500; i++) {
        good += ((whole[good + 2]! << 8) | whole[good + 3]!) * 4;
      }
      const cut = `${dir}/cut.argus`, head = `${dir}/head.argus`;
      await Deno.writeFile(cut, whole.subarray(0, good + 10));
      await Deno.writeFile(head, whole.subarray(0, good));
      for (const [program, args] of PROGRAMS) {
        const real = await run(program, ["-X", ...args, "-r", head]);
        const ours = await run("sh", [
          "-c",
          `'${Deno.execPath()}' run -A '${MAIN}' ${program} -X ${
            args.join(" ")
          } -r '${cut}' 2>&1`,
        ]);
        const lines = ours.stdout.trimEnd().split("\n");
        const last = lines.pop()!;
        assert.match(
          last,
          new RegExp(
            `^${program}: Cannot read ".*cut\\.argus": truncated record .* at byte ${good}$`,
          ),
          program,
        );
        assert.equal(lines.join("\n") + "\n", real.stdout, program);
        assert.equal(ours.code, 1, program);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
