/**
 * -R: record files under directories, read in the real ra's order (names
 * byte by byte, subdirectories where they sort), other files passed over;
 * compared with the real clients.
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

Deno.test({
  name: "-R: the clients read a directory tree as the real ones do",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const put = async (from: string, to: string) => {
        await Deno.mkdir(`${dir}/${to}`.replace(/\/[^/]*$/, ""), {
          recursive: true,
        });
        await Deno.copyFile(`${CORPUS}expected/${from}.argus`, `${dir}/${to}`);
      };
      await put("tcp-basic.pcap", "z.argus");
      await put("icmp.pcap", "sub/b.argus");
      await put("arp.pcap", "a/c.argus");
      await put("udp-dns.pcap", "B.argus");
      await put("vlan.pcap", "a.argus");
      await put("ipv6.pcap", "sub/deeper/x");
      await Deno.writeTextFile(`${dir}/notes.txt`, "not records\n");
      const cases: [string, string[]][] = [
        ["ra", ["-R", dir]],
        ["ra", ["-R", `${dir}/sub`, `${dir}/a`, "-n"]],
        ["ra", ["-R", `${dir}/`, "-", "udp"]],
        ["rasort", ["-R", dir, "-m", "bytes"]],
        ["racluster", ["-R", dir, "-m", "proto"]],
      ];
      for (const [program, args] of cases) {
        const all = ["-X", ...args];
        const real = await run(program, all);
        const ours = await run(Deno.execPath(), [
          "run",
          "-A",
          MAIN,
          program,
          ...all,
        ]);
        assert.ok(real.stdout.split("\n").length > 3, `${program} ${args}`);
        assert.equal(ours.stdout, real.stdout, `${program} ${args}`);
        assert.equal(ours.code, real.code, `${program} ${args}`);
      }
      const missing = await run(Deno.execPath(), [
        "run",
        "-A",
        MAIN,
        "ra",
        "-R",
        `${dir}/nothing-here`,
      ]);
      assert.equal(missing.code, 2);
      assert.equal(missing.stderr.split("\n")[0]!.startsWith("ra: -R:"), true);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
