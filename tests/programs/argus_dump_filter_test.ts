/**
 * argus -b through the whole program: the compiled filter printed as the
 * real argus prints it, for link types whose programs differ, including
 * the empty filter a lone "-" gives.
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS, haveRealArgus, run, runOurArgus } from "../_util/oracle.ts";

Deno.test({
  name: "argus -b prints what the real argus -b prints",
  ignore: !haveRealArgus(),
  async fn() {
    for (
      const file of ["tcp-basic.pcap", "raw-ip.pcap", "null-loopback.pcap"]
    ) {
      for (const filter of [["-"], ["-", "tcp", "or", "ip6"]]) {
        const args = ["-X", "-r", `${CORPUS}${file}`, "-b", ...filter];
        const real = await run("argus", args);
        const ours = await runOurArgus([...args]);
        assert.equal(ours.code, 0, ours.stderr);
        assert.ok(real.stdout.startsWith("(000)"), `${file}: ${real.stdout}`);
        assert.equal(ours.stdout, real.stdout, `${file} ${filter.join(" ")}`);
      }
    }
  },
});
