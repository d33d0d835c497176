/**
 * ra -e: the user data grep ra shares with ragrep, against the real ra on
 * records the real argus made with user data (-U), text and exit status.
 * @module
 */

import assert from "node:assert/strict";
import { ourRa } from "../_util/our_ra.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";

const CAPTURES = ["mixed-small.pcap", "tcp-basic.pcap", "udp-dns.pcap"];

const INVOCATIONS: string[][] = [
  ["-e", "HTTP"],
  ["-e", "s:GET"],
  ["-e", "d:HTTP/1\\.[01]"],
  ["-e", "^GET /"],
  ["-e", "[0-9]{3} OK", "-n", "-s", "stime", "saddr", "daddr", "suser:32"],
  ["-e", "no-such-thing-anywhere"],
  ["-e", "."],
  ["-e", "HTTP", "-", "dst port 80"],
  ["-X", "-e", "HTTP"],
];

Deno.test({
  name: "ra -e: user data grep as the real ra's",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      for (const capture of CAPTURES) {
        const file = `${dir}/${capture}.argus`;
        const made = await run("argus", [
          "-X",
          "-U",
          "64",
          "-r",
          `${CORPUS}${capture}`,
          "-w",
          file,
        ]);
        assert.equal(made.code, 0, made.stderr);
        for (const args of INVOCATIONS) {
          // -X first: the real ra's -X also drops the -r given before it.
          const all = args[0] === "-X"
            ? ["-X", "-r", file, ...args.slice(1)]
            : ["-r", file, ...args];
          const real = await run("ra", all);
          const ours = await ourRa(all);
          assert.equal(ours.out, real.stdout, `${capture} ${args.join(" ")}`);
          assert.equal(ours.code, real.code, `${capture} ${args.join(" ")}`);
        }
      }
      const bad = await ourRa(["-r", "x", "-e", "a{2,1}"]);
      assert.equal(bad.code, 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
